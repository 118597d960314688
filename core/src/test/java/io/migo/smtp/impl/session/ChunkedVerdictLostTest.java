package io.migo.smtp.impl.session;

import io.migo.smtp.Envelope;
import io.migo.smtp.RetryPolicy;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message larger than one BDAT slice goes as several chunks, pipelined. When the connection dies after the last
 * chunk ({@code BDAT n LAST}) went out and before its reply, the server may have taken the whole message: the outcome
 * is UNKNOWN (the verdict of the last chunk was lost), never the FAILED of an earlier chunk's lost reply, which would
 * invite sending the message twice.
 */
class ChunkedVerdictLostTest extends ScriptedClientTestBase {

  private static final String LINE = "x".repeat(70) + "\r\n";

  @Test
  void aDropAfterTheLastChunkOfAMultiChunkMessageIsUnknownAndNotResent() {
    Buffer content = Buffer.buffer("Subject: big\r\n\r\n");
    while (content.length() < MessageWriter.SLICE + 10_000) {
      content.appendString(LINE);
    }
    int lastChunk = content.length() - MessageWriter.SLICE;
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING", "250 CHUNKING"),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>").reply("250 2.1.0 Ok", "250 2.1.5 Ok"),
      Step.on("BDAT " + MessageWriter.SLICE, "BDAT " + lastChunk + " LAST").thenClose());
    start(plainOptions(listen()).setRetryPolicy(RetryPolicy.defaults()));

    Throwable failure = Await.failure(client.send(Envelope.of("a@example.test", "b@example.test"), content));

    assertThat(failure).isInstanceOf(SmtpException.class);
    SmtpException error = (SmtpException) failure;
    assertThat(error.phase()).as("the lost verdict is the last chunk's").isEqualTo(SmtpPhase.DATA_END);
    assertThat(error.delivery()).isEqualTo(SmtpException.Delivery.MAYBE_DELIVERED);
    assertThat(SendOutcome.statusOf(failure)).isEqualTo(SendOutcome.Status.UNKNOWN);
    assertThat(server.reads()).filteredOn(read -> read.contains("MAIL FROM")).as("sent once, never again")
      .hasSize(1);
  }
}
