package io.migo.smtp.it;

import io.migo.smtp.Envelope;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.dns.AddressResolverOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The set-up mistakes people make against a real Postfix, each failing with a message that says what to do: the
 * implicit-TLS port reached without TLS, a certificate the client does not trust or that names another host, TLS
 * against the plain port, TLS turned off against a port that offers AUTH only after STARTTLS, a wrong password.
 */
class ConnectionAdviceIT {

  /** A name that is not in the test certificate (which names localhost and 127.0.0.1), resolved to loopback. */
  private static final String OTHER_NAME = "mail.wrong.test";

  private static TestServers servers;
  private static Vertx vertx;
  private final List<SmtpClient> clients = new ArrayList<>();

  @BeforeAll
  static void setUp() {
    servers = TestServers.require();
    // Only this test's resolver knows the other name, so the test needs no change to the machine's hosts file.
    vertx = Vertx.vertx(new VertxOptions().setAddressResolverOptions(new AddressResolverOptions()
      .setHostsValue(Buffer.buffer("127.0.0.1 localhost\n127.0.0.1 " + OTHER_NAME + "\n"))));
  }

  @AfterAll
  static void tearDown() {
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  @AfterEach
  void closeClients() {
    clients.forEach(c -> Await.result(c.close()));
  }

  private SmtpException failure(SmtpClientOptions options) {
    SmtpClient client = SmtpClient.create(vertx, options);
    clients.add(client);
    return (SmtpException) Await.failure(client.send(Envelope.of(servers.user(), "rcpt@example.test"),
      Buffer.buffer("Subject: x\r\n\r\nx\r\n")));
  }

  private int smtpsPort() {
    return servers.port("postfix.smtps.port");
  }

  @Test
  void startTlsModeAgainstTheImplicitTlsPortFailsFastWithTheHint() {
    // Postfix never speaks first on its wrapper-mode port, so the 2 s bound is on its silence, not on its speed.
    SmtpClientOptions options = servers.verifiedOptions(smtpsPort()).setTlsMode(TlsMode.STARTTLS_REQUIRED)
      .setGreetingTimeout(Duration.ofMinutes(5)).setSilentGreetingTimeout(Duration.ofSeconds(2));

    SmtpException e = failure(options);

    assertThat(e.phase()).isEqualTo(SmtpPhase.GREETING);
    assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
    assertThat(e.getMessage()).contains("the server sent nothing within 2 s",
      "port " + smtpsPort() + " may expect implicit TLS", "TlsMode.IMPLICIT", "--tls implicit");
  }

  @Test
  void anUntrustedCertificateNamesItsSubjectIssuerAndTheFix() {
    // The JVM's default trust store does not know the test CA.
    SmtpClientOptions options = servers.verifiedOptions(smtpsPort()).setTlsMode(TlsMode.IMPLICIT)
      .setTrustOptions(null);

    SmtpException e = failure(options);

    assertThat(e.phase()).isEqualTo(SmtpPhase.CONNECT);
    assertThat(e.reason()).isEqualTo(Reason.TLS);
    assertThat(e.getMessage()).contains("the server's certificate is not trusted",
      "subject CN=localhost,O=migo-smtp tests", "issuer CN=migo-smtp test CA,O=migo-smtp tests",
      "SmtpClientOptions.setTrustOptions", "--ca-cert");
    assertThat(e.getCause()).isNotNull();
  }

  @Test
  void anUntrustedCertificateAfterStartTlsIsNamedTheSameWay() {
    SmtpClientOptions options = servers.verifiedOptions(servers.port("postfix.submission.port"))
      .setTlsMode(TlsMode.STARTTLS_REQUIRED).setTrustOptions(null);

    SmtpException e = failure(options);

    assertThat(e.phase()).isEqualTo(SmtpPhase.TLS_HANDSHAKE);
    assertThat(e.reason()).isEqualTo(Reason.TLS);
    assertThat(e.getMessage()).contains("the server's certificate is not trusted", "subject CN=localhost",
      "issuer CN=migo-smtp test CA", "setTrustOptions");
    assertThat(e.getCause()).isNotNull();
  }

  @Test
  void aHostNameTheCertificateDoesNotHaveIsNamedWithTheNamesItHas() {
    SmtpClientOptions options = servers.verifiedOptions(smtpsPort()).setTlsMode(TlsMode.IMPLICIT)
      .setHost(OTHER_NAME);

    SmtpException e = failure(options);

    assertThat(e.phase()).isEqualTo(SmtpPhase.CONNECT);
    assertThat(e.reason()).isEqualTo(Reason.TLS);
    assertThat(e.getMessage()).contains("the server's certificate does not name host " + OTHER_NAME,
      "it names localhost, 127.0.0.1", "connect by a name the certificate has", "setVerifyHostname(false)");
    assertThat(e.getCause()).isNotNull();
  }

  @Test
  void implicitTlsAgainstThePlainPortSaysItDoesNotSpeakTls() {
    int plain = servers.port("postfix.plain.port");
    SmtpClientOptions options = servers.verifiedOptions(plain).setTlsMode(TlsMode.IMPLICIT);

    SmtpException e = failure(options);

    assertThat(e.phase()).isEqualTo(SmtpPhase.CONNECT);
    assertThat(e.reason()).isEqualTo(Reason.TLS);
    assertThat(e.getMessage()).contains("port " + plain + " of " + servers.get("hostname")
      + " does not seem to speak TLS", "TlsMode.STARTTLS_REQUIRED", "--tls starttls");
    assertThat(e.getCause()).isNotNull();
  }

  @Test
  void tlsOffAgainstTheSubmissionPortSaysAuthNeedsStartTls() {
    // smtpd_tls_auth_only: Postfix offers AUTH on this port only after STARTTLS.
    SmtpClientOptions options = servers.verifiedOptions(servers.port("postfix.submission.port"))
      .setTlsMode(TlsMode.NONE).setCredentials(servers.user(), servers.password());

    SmtpException e = failure(options);

    assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
    assertThat(e.reason()).isEqualTo(Reason.SECURITY);
    assertThat(e.getMessage()).contains("the server offers STARTTLS but TLS is off (TlsMode.NONE / --tls none)",
      "it offers AUTH only over TLS", "TlsMode.STARTTLS_REQUIRED");
  }

  @Test
  void aWrongPasswordSaysTheCredentialsWereRefused() {
    SmtpClientOptions options = servers.verifiedOptions(servers.port("postfix.submission.port"))
      .setCredentials(servers.user(), "wrong-password");

    SmtpException e = failure(options);

    assertThat(e.getMessage()).startsWith("AUTH: the server refused the credentials with SCRAM-SHA-256: ")
      .endsWith("[535 5.7.8]").doesNotContain("wrong-password");
  }
}
