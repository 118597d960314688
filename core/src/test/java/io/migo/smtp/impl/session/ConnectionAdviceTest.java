package io.migo.smtp.impl.session;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The common set-up mistakes fail with a message that says what to do: a silent implicit-TLS port, a certificate
 * nobody trusts or for another name, a port that does not speak TLS, AUTH hidden until STARTTLS.
 */
class ConnectionAdviceTest extends ScriptedClientTestBase {

  @Test
  void aServerThatSaysNothingFailsAfterTheSilentGreetingTimeoutWithTheImplicitTlsHint() {
    // No greeting step: the server accepts and stays silent, as an implicit-TLS port waiting for a TLS hello does.
    server.script(Step.on("EHLO*"));
    int port = listen();
    // The greeting timeout is far longer than the test's own 20 s bound: only the silent timeout can end this.
    start(plainOptions(port).setTlsMode(TlsMode.STARTTLS_REQUIRED)
      .setGreetingTimeout(Duration.ofMinutes(5)).setSilentGreetingTimeout(Duration.ofMillis(300)));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.GREETING);
    assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
    assertThat(e.getMessage()).contains("the server sent nothing", "port " + port + " may expect implicit TLS",
      "TlsMode.IMPLICIT", "--tls implicit");
    assertThat(server.transcript()).as("nothing was sent to a server that never spoke").isEmpty();
  }

  @Test
  void aServerThatHasBegunItsGreetingGetsTheWholeGreetingTimeout() {
    // One byte is enough to prove someone is speaking SMTP; then the normal greeting timeout applies.
    server.script(Step.greeting().raw("220 slow"));
    start(plainOptions(listen()).setSilentGreetingTimeout(Duration.ofSeconds(1))
      .setGreetingTimeout(Duration.ofSeconds(3)));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.GREETING);
    assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
    assertThat(e.getMessage()).contains("no reply within 3000 ms").doesNotContain("sent nothing");
  }

  @Test
  void authHiddenUntilStartTlsSaysToTurnTlsOn() {
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING", "250 STARTTLS"));
    start(plainOptions(listen()).setCredentials("user", "secret"));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
    assertThat(e.reason()).isEqualTo(Reason.SECURITY);
    assertThat(e.getMessage()).contains("the server offers STARTTLS but TLS is off (TlsMode.NONE / --tls none)",
      "it offers AUTH only over TLS", "TlsMode.STARTTLS_REQUIRED", "--tls starttls");
    assertScriptFollowed();
  }

  @Test
  void noAllowedMechanismInClearWhileStartTlsIsOfferedSaysToTurnTlsOn() {
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-AUTH CRAM-MD5", "250 STARTTLS"));
    start(plainOptions(listen()).setCredentials("user", "secret").setAuthMechanisms(Set.of(AuthMechanism.PLAIN)));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
    assertThat(e.getMessage()).contains("the server offers STARTTLS but TLS is off",
      "without TLS it offers AUTH [CRAM-MD5] only, and allowed are [PLAIN]", "TlsMode.STARTTLS_REQUIRED");
  }

  @Test
  void withoutStartTlsOfferedTheAuthMessageIsUnchanged() {
    server.script(greeting(), Step.on("EHLO client.example").reply("250-scripted.test", "250 PIPELINING"));
    start(plainOptions(listen()).setCredentials("user", "secret"));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.getMessage()).contains("server does not offer AUTH").doesNotContain("STARTTLS");
  }

  @Test
  void implicitTlsAgainstAPlainServerSaysThePortDoesNotSpeakTls() {
    server.script(greeting());
    int port = listen();
    start(plainOptions(port).setTlsMode(TlsMode.IMPLICIT));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.CONNECT);
    assertThat(e.reason()).isEqualTo(Reason.TLS);
    assertThat(e.getMessage()).contains("port " + port + " of 127.0.0.1 does not seem to speak TLS",
      "TlsMode.STARTTLS_REQUIRED", "--tls starttls");
    assertThat(e.getCause()).isNotNull();
  }

  @Test
  void anUntrustedCertificateIsNamedWithTheFix() {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    server.tls(certificate).script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250 STARTTLS"),
      Step.on("STARTTLS").reply("220 2.0.0 Ready to start TLS").thenUpgradeTls());
    start(plainOptions(listen()).setTlsMode(TlsMode.STARTTLS_REQUIRED).setVerifyHostname(false));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.TLS_HANDSHAKE);
    assertThat(e.reason()).isEqualTo(Reason.TLS);
    assertThat(e.getMessage()).contains("the server's certificate is not trusted", "subject CN=localhost",
      "issuer CN=localhost", "setTrustOptions", "--ca-cert");
    assertThat(e.getCause()).isNotNull();
  }

  @Test
  void aCertificateForAnotherHostSaysWhichHostItDoesNotName() {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("mail.other.example");
    server.implicitTls(certificate).script(greeting());
    start(plainOptions(listen()).setTlsMode(TlsMode.IMPLICIT).setTrustOptions(certificate.trustOptions()));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.CONNECT);
    assertThat(e.reason()).isEqualTo(Reason.TLS);
    assertThat(e.getMessage()).contains("the server's certificate does not name host 127.0.0.1",
      "subject CN=mail.other.example", "connect by a name the certificate has", "setVerifyHostname(false)");
    assertThat(e.getCause()).isNotNull();
  }
}
