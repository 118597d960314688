package io.migo.smtp.impl.session;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ClosedPort;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Greeting, EHLO/HELO and STARTTLS paths against the scripted server. */
class HandshakeTest extends ScriptedClientTestBase {

  @Test
  void pipelinesTheEnvelopeAndQuitsOnClose() {
    server.script(greeting(), ehloPipelining(), simpleTransactionPipelined(), queued(), quit());
    start(plainOptions(listen()));

    SendResult result = Await.result(sendSimple());
    Await.result(client.close());

    assertThat(result.acceptedRecipients()).containsExactly("b@example.test");
    assertThat(result.serverResponse()).isEqualTo("2.0.0 Ok: queued as ABC123");
    assertScriptFollowed();
    assertThat(server.messages()).containsExactly(MESSAGE);
    assertThat(server.reads()).contains("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n");
  }

  @Test
  void fallsBackToHeloWhenEhloIsNotRecognised() {
    server.script(greeting(),
      Step.on("EHLO client.example").reply("502 5.5.2 Error: command not recognized"),
      Step.on("HELO client.example").reply("250 scripted.test"),
      Step.on("MAIL FROM:<a@example.test>").reply("250 Ok"),
      Step.on("RCPT TO:<b@example.test>").reply("250 Ok"),
      Step.on("DATA").reply("354 go ahead"),
      queued(), quit());
    start(plainOptions(listen()));

    Await.result(sendSimple());
    Await.result(client.close());

    assertScriptFollowed();
  }

  @Test
  void greeting554IsATypedRefusal() {
    server.script(Step.greeting("554 5.7.1 No SMTP service here"), Step.on("QUIT").reply("221 Bye").thenClose());
    start(plainOptions(listen()));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.GREETING);
    assertThat(e.reason()).isEqualTo(Reason.REPLY);
    assertThat(e.replyCode()).isEqualTo(554);
    assertThat(e.enhancedCode()).isEqualTo("5.7.1");
    assertThat(e.isPermanent()).isTrue();
    assertThat(e.getMessage()).contains("refused the session");
  }

  @Test
  void startTlsAnswered454FailsBeforeAnyCredential() {
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-STARTTLS", "250 AUTH PLAIN LOGIN"),
      Step.on("STARTTLS").reply("454 4.7.0 TLS not available due to temporary reason"));
    start(plainOptions(listen()).setTlsMode(TlsMode.STARTTLS_REQUIRED).setCredentials("user", "secret"));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.STARTTLS);
    assertThat(e.reason()).isEqualTo(Reason.SECURITY);
    assertThat(e.replyCode()).isEqualTo(454);
    assertThat(e.isTransient()).isTrue();
    assertThat(server.transcript()).noneMatch(line -> line.startsWith("C: AUTH"));
  }

  @Test
  void startTlsAnswered502FailsUnderRequired() {
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-STARTTLS", "250 AUTH PLAIN"),
      Step.on("STARTTLS").reply("502 5.5.1 Not implemented"));
    start(plainOptions(listen()).setTlsMode(TlsMode.STARTTLS_REQUIRED).setCredentials("user", "secret"));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.STARTTLS);
    assertThat(e.replyCode()).isEqualTo(502);
    assertThat(server.transcript()).noneMatch(line -> line.startsWith("C: AUTH"));
  }

  @Test
  void missingStartTlsFailsUnderRequiredWithoutSendingCredentials() {
    server.script(greeting(), Step.on("EHLO client.example").reply("250-scripted.test", "250 AUTH PLAIN LOGIN"));
    start(plainOptions(listen()).setTlsMode(TlsMode.STARTTLS_REQUIRED).setCredentials("user", "secret"));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.STARTTLS);
    assertThat(e.reason()).isEqualTo(Reason.SECURITY);
    assertThat(server.transcript()).noneMatch(line -> line.startsWith("C: AUTH"));
  }

  @Test
  void startTlsRefusedUnderOptionalContinuesInClear() {
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-STARTTLS", "250 PIPELINING"),
      Step.on("STARTTLS").reply("454 4.7.0 TLS not available"),
      simpleTransactionPipelined(), queued(), quit());
    start(plainOptions(listen()).setTlsMode(TlsMode.STARTTLS_OPTIONAL));

    Await.result(sendSimple());
    Await.result(client.close());

    assertScriptFollowed();
  }

  @Test
  void forgetsEverythingLearnedBeforeTls() {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    // Before TLS the (possibly forged) list offers PLAIN; over TLS the server offers CRAM-MD5 only. The client
    // must use what it learned over TLS, and nothing else.
    server.tls(certificate).script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-STARTTLS", "250 AUTH PLAIN"),
      Step.on("STARTTLS").reply("220 2.0.0 Ready to start TLS").thenUpgradeTls(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING", "250 AUTH CRAM-MD5"),
      Step.on("AUTH CRAM-MD5").reply("334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+"),
      Step.on("dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw").reply("235 2.7.0 Authentication successful"),
      simpleTransactionPipelined(), queued(), quit());
    start(plainOptions(listen()).setTlsMode(TlsMode.STARTTLS_REQUIRED)
      .setTrustOptions(certificate.trustOptions()).setVerifyHostname(false)
      .setAuthMechanisms(Set.of(AuthMechanism.PLAIN, AuthMechanism.CRAM_MD5))
      .setCredentials("tim", "tanstaaftanstaaf"));

    Await.result(sendSimple());
    Await.result(client.close());

    assertScriptFollowed();
  }

  @Test
  void verifiesTheHostNameByDefault() {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("mail.other.example");
    server.tls(certificate).script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250 STARTTLS"),
      Step.on("STARTTLS").reply("220 2.0.0 Ready to start TLS").thenUpgradeTls());
    start(plainOptions(listen()).setTlsMode(TlsMode.STARTTLS_REQUIRED)
      .setTrustOptions(certificate.trustOptions()));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.TLS_HANDSHAKE);
    assertThat(e.reason()).isEqualTo(Reason.TLS);
    assertThat(e.getCause()).as("a certificate failure, not a stalled handshake").isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void refusesAnUntrustedCertificate() {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    server.tls(certificate).script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250 STARTTLS"),
      Step.on("STARTTLS").reply("220 2.0.0 Ready to start TLS").thenUpgradeTls());
    start(plainOptions(listen()).setTlsMode(TlsMode.STARTTLS_REQUIRED).setVerifyHostname(false));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.TLS_HANDSHAKE);
    assertThat(e.reason()).isEqualTo(Reason.TLS);
    assertThat(e.getCause()).as("a certificate failure, not a stalled handshake").isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void bytesAfterTheStartTlsReplyAbortTheSession() {
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250 STARTTLS"),
      // A man in the middle appends a forged reply to the 220, hoping it is read after the handshake.
      Step.on("STARTTLS").reply("220 2.0.0 Ready to start TLS", "250 forged"));
    start(plainOptions(listen()).setTlsMode(TlsMode.STARTTLS_REQUIRED).setVerifyHostname(false).setTrustAll(true));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.STARTTLS);
    assertThat(e.reason()).isEqualTo(Reason.PROTOCOL);
  }

  @Test
  void multiLineRepliesSplitAcrossWritesAreJoined() {
    server.script(greeting(),
      Step.on("EHLO client.example").raw("250-scripted.test\r\n25", "0-PIPEL", "INING\r\n250 ENHANCEDSTATUS", "CODES\r\n"),
      simpleTransactionPipelined(), queued(), quit());
    start(plainOptions(listen()));

    Await.result(sendSimple());
    Await.result(client.close());

    assertScriptFollowed();
    assertThat(server.reads()).contains("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n");
  }

  @Test
  void silentServerTimesOutInTheGreeting() {
    server.script(Step.on("never"));
    start(plainOptions(listen()).setGreetingTimeout(Duration.ofMillis(200)));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.GREETING);
    assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
  }

  @Test
  void malformedReplyIsAProtocolError() {
    server.script(greeting(), Step.on("EHLO client.example").reply("2x0 what"));
    start(plainOptions(listen()));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.EHLO);
    assertThat(e.reason()).isEqualTo(Reason.PROTOCOL);
  }

  @Test
  void connectionRefusedIsAConnectError() throws Exception {
    try (ClosedPort closed = new ClosedPort()) {
      start(plainOptions(closed.port()));

      SmtpException e = (SmtpException) Await.failure(sendSimple());

      assertThat(e.phase()).isEqualTo(SmtpPhase.CONNECT);
      assertThat(e.reason()).isEqualTo(Reason.CONNECTION);
    }
  }
}
