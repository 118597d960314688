package io.migo.smtp.impl.session;

import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.mail.MailMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * REQUIRETLS (RFC 8689) per message: {@code MAIL FROM:<…> REQUIRETLS} only over TLS to a server that offers it; any
 * other session refuses the message before its MAIL command, as a message it cannot carry (REJECTED, not retried,
 * never sent without the requirement), and the session stays usable for the next message.
 */
class RequireTlsTest extends ScriptedClientTestBase {

  private final SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");

  private static Step startTls() {
    return Step.on("STARTTLS").reply("220 2.0.0 Ready to start TLS").thenUpgradeTls();
  }

  private SmtpClientOptions overStartTls() {
    return plainOptions(listen()).setTlsMode(TlsMode.STARTTLS_REQUIRED)
      .setTrustOptions(certificate.trustOptions()).setVerifyHostname(false);
  }

  @Test
  void overTlsToAServerThatOffersItTheMailCommandCarriesRequireTls() {
    server.tls(certificate).script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250 STARTTLS"), startTls(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING", "250-REQUIRETLS",
        "250 ENHANCEDSTATUSCODES"),
      Step.on("MAIL FROM:<a@example.test> REQUIRETLS", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.1.0 Ok", "250 2.1.5 Ok", "354 go ahead"),
      queued(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.1.0 Ok", "250 2.1.5 Ok", "354 go ahead"),
      queued(), quit());
    start(overStartTls());

    Await.result(client.send(Envelope.of("a@example.test", "b@example.test").withRequireTls(true),
      Buffer.buffer(MESSAGE)));
    Await.result(sendSimple()); // the requirement is the message's, not the session's
    Await.result(client.close());

    assertScriptFollowed();
  }

  @Test
  void aMailMessageCanRequireTlsToo() {
    server.tls(certificate).script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250 STARTTLS"), startTls(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING", "250 REQUIRETLS"),
      Step.on("MAIL FROM:<a@example.test> REQUIRETLS", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.1.0 Ok", "250 2.1.5 Ok", "354 go ahead"),
      queued(), quit());
    start(overStartTls());

    Mail mail = Mail.of(new MailMessage().setFrom("a@example.test").setTo("b@example.test").setText("hi"))
      .withRequireTls(true);
    assertThat(mail.requireTls()).isTrue();
    Await.result(client.send(mail));
    Await.result(client.close());

    assertScriptFollowed();
  }

  @Test
  void aServerThatDoesNotOfferItGetsNoMailCommandAndTheMessageIsRejectedNotRetried() {
    server.tls(certificate).script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250 STARTTLS"), startTls(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250 PIPELINING"),
      simpleTransactionPipelined(), queued(), quit());
    start(overStartTls());

    Throwable failure = Await.failure(client.send(Envelope.of("a@example.test", "b@example.test").withRequireTls(true),
      Buffer.buffer(MESSAGE)));
    assertThat(failure).isInstanceOfSatisfying(SmtpException.class, e -> {
      assertThat(e.phase()).isEqualTo(SmtpPhase.INPUT);
      assertThat(e.getMessage()).contains("does not offer REQUIRETLS").contains("not sent");
    });
    assertThat(SendOutcome.statusOf(failure)).isEqualTo(SendOutcome.Status.REJECTED);
    Await.result(sendSimple()); // the session was not spoiled
    Await.result(client.close());

    assertScriptFollowed();
  }

  @Test
  void aSessionWithoutTlsNeverSendsIt() {
    // A forged or cleartext EHLO may advertise REQUIRETLS: what counts is that the session is encrypted.
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING", "250 REQUIRETLS"),
      simpleTransactionPipelined(), queued(), quit());
    start(plainOptions(listen()));

    Throwable failure = Await.failure(client.send(Envelope.of("a@example.test", "b@example.test").withRequireTls(true),
      Buffer.buffer(MESSAGE)));
    assertThat(failure).hasMessageContaining("this session is not encrypted").hasMessageContaining("TlsMode.STARTTLS");
    assertThat(SendOutcome.statusOf(failure)).isEqualTo(SendOutcome.Status.REJECTED);
    Await.result(sendSimple());
    Await.result(client.close());

    assertScriptFollowed();
  }
}
