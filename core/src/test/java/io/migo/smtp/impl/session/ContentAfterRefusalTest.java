package io.migo.smtp.impl.session;

import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Message content never reaches a server's command parser: a server that refuses the envelope (here as Postfix does
 * on a port that requires STARTTLS, with 530 to every command) would read content sent behind it as commands. The
 * first message of a session therefore waits for the envelope's replies, and nothing follows a refused envelope.
 */
class ContentAfterRefusalTest extends ScriptedClientTestBase {

  private static final String MUST_STARTTLS = "530 5.7.0 Must issue a STARTTLS command first";

  @Test
  void withChunkingTheFirstMessageWaitsForTheEnvelopeAndARefusedEnvelopeSendsNoContent() {
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING", "250-STARTTLS", "250 CHUNKING"),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>").reply(MUST_STARTTLS, MUST_STARTTLS),
      quit());
    start(plainOptions(listen()));

    Throwable failure = Await.failure(sendSimple());

    assertRefusedAtMail(failure);
    assertNoContentReachedTheServer();
  }

  @Test
  void withDataTheContentWaitsFor354() {
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING", "250 STARTTLS"),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply(MUST_STARTTLS, MUST_STARTTLS, MUST_STARTTLS),
      quit());
    start(plainOptions(listen()));

    Throwable failure = Await.failure(sendSimple());

    assertRefusedAtMail(failure);
    assertNoContentReachedTheServer();
  }

  @Test
  void aRefusedSecondEnvelopeOnAProvenSessionIsReportedAndTheSessionGoesOn() {
    // Once a message went through, BDAT and its content ride with the envelope: BDAT is framed by its size, so
    // a server that refuses it reads and discards the chunk (RFC 3030 §2) instead of parsing it.
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING", "250 CHUNKING"),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>").reply("250 2.1.0 Ok", "250 2.1.5 Ok"),
      Step.on("BDAT 24 LAST").reply("250 2.0.0 Ok: queued"),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "BDAT 24 LAST")
        .reply("451 4.3.0 local error in processing", "503 5.5.1 need MAIL", "503 5.5.1 need MAIL"),
      Step.on("RSET", "MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "BDAT 24 LAST")
        .reply("250 2.0.0 Ok", "250 2.1.0 Ok", "250 2.1.5 Ok", "250 2.0.0 Ok: queued"),
      quit());
    start(plainOptions(listen()));

    Await.result(sendSimple());
    Throwable refused = Await.failure(sendSimple());
    Await.result(sendSimple());

    assertThat(refused).isInstanceOf(SmtpException.class);
    assertThat(((SmtpException) refused).phase()).isEqualTo(SmtpPhase.MAIL);
    assertThat(((SmtpException) refused).replyCode()).isEqualTo(451);
    assertThat(server.connections()).isEqualTo(1);
  }

  private static void assertRefusedAtMail(Throwable failure) {
    assertThat(failure).isInstanceOf(SmtpException.class);
    SmtpException e = (SmtpException) failure;
    assertThat(e.phase()).as("the server's first refusal is reported").isEqualTo(SmtpPhase.MAIL);
    assertThat(e.replyCode()).isEqualTo(530);
    assertThat(e.enhancedCode()).isEqualTo("5.7.0");
    assertThat(e).hasMessageContaining("TLS is off").hasMessageContaining("STARTTLS_REQUIRED");
    assertThat(e.serverMessage()).contains("Must issue a STARTTLS command first");
  }

  private void assertNoContentReachedTheServer() {
    Await.result(client.close());
    assertScriptFollowed();
    assertThat(String.join("", server.reads())).doesNotContain("Subject: test").doesNotContain("Hello");
    assertThat(server.messages()).isEmpty();
  }
}
