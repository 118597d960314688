package io.migo.smtp.impl.session;

import io.migo.smtp.Envelope;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Servers that lie, inject, ramble or vanish: each gets a typed error, and nothing is reused or guessed. */
class HostileServerTest extends ScriptedClientTestBase {

  @Test
  void aPartialLineAfterTheStartTlsReplyAbortsTheSession() {
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250 STARTTLS"),
      Step.on("STARTTLS").raw("220 2.0.0 Ready to start TLS\r\n250-AUTH PLA"));
    start(plainOptions(listen()).setTlsMode(TlsMode.STARTTLS_REQUIRED).setTrustAll(true).setVerifyHostname(false));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.STARTTLS);
    assertThat(e.reason()).isEqualTo(Reason.PROTOCOL);
  }

  @Test
  void startTlsIsNeverPipelined() {
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING", "250 STARTTLS"),
      Step.on("STARTTLS").reply("454 4.7.0 not now"));
    start(plainOptions(listen()).setTlsMode(TlsMode.STARTTLS_REQUIRED));

    Await.failure(sendSimple());

    assertThat(server.reads()).contains("STARTTLS\r\n");
  }

  @Test
  void aReplyNoCommandAskedForIsAProtocolError() {
    // The extra reply would otherwise be taken as the answer to MAIL, and every later reply shifted by one.
    server.script(greeting(), Step.on("EHLO client.example").reply("250-scripted.test", "250 PIPELINING",
      "250 2.1.0 Ok"));
    start(plainOptions(listen()));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.reason()).isEqualTo(Reason.PROTOCOL);
    assertThat(e.getMessage()).contains("no command asked for");
    assertThat(server.transcript()).noneMatch(line -> line.startsWith("C: MAIL"));
  }

  @Test
  void mixedCodesInOneReplyAreAProtocolError() {
    server.script(greeting(), Step.on("EHLO client.example").reply("250-scripted.test", "550 PIPELINING"));
    start(plainOptions(listen()));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.EHLO);
    assertThat(e.reason()).isEqualTo(Reason.PROTOCOL);
  }

  @Test
  void endlessContinuationLinesAreCutOffAtTheBound() {
    server.script(greeting(), Step.on("EHLO client.example").raw("250-more\r\n".repeat(2000)));
    start(plainOptions(listen()));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.reason()).isEqualTo(Reason.PROTOCOL);
  }

  @Test
  void anEndlessLineIsCutOffAtTheBound() {
    server.script(greeting(), Step.on("EHLO client.example").raw("250 " + "x".repeat(64 * 1024)));
    start(plainOptions(listen()));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.reason()).isEqualTo(Reason.PROTOCOL);
  }

  @Test
  void aServerThatVanishesAfterTheFinalDotLeavesTheOutcomeAtDataEnd() {
    server.script(greeting(), ehloPipelining(), simpleTransactionPipelined(), Step.onData().thenClose());
    start(plainOptions(listen()));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    // The server may have taken the message: the failure is at DATA_END, which callers must treat as unknown.
    assertThat(e.phase()).isEqualTo(SmtpPhase.DATA_END);
    assertThat(e.reason()).isEqualTo(Reason.CONNECTION);
  }

  @Test
  void aServerThatVanishesDuringTheContentFailsInMessage() {
    server.script(greeting(), ehloPipelining(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.1.0 Ok", "250 2.1.5 Ok", "354 go ahead").thenClose());
    start(plainOptions(listen()));
    Buffer big = Buffer.buffer(("y".repeat(98) + "\r\n").repeat(160 * 1024)); // 16 MiB, more than socket buffers

    SmtpException e = (SmtpException) Await.failure(client.send(Envelope.of("a@example.test", "b@example.test"), big));

    // The content never fully left, so nothing can have been delivered: safe to send again.
    assertThat(e.phase()).isEqualTo(SmtpPhase.MESSAGE);
    assertThat(e.reason()).isEqualTo(Reason.CONNECTION);
  }

  @Test
  void aSilentServerTimesOutInEachPhase() {
    server.script(greeting(), ehloPipelining(), Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>",
      "DATA"));
    start(plainOptions(listen()).setCommandTimeout(Duration.ofMillis(300)));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.MAIL);
    assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
  }
}
