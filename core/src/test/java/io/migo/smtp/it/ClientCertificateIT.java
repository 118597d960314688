package io.migo.smtp.it;

import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.Maildir;
import io.migo.smtp.testkit.RealServerTestBase;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.mail.MailMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client certificates against the real Postfix of {@code scripts/test-servers.sh}, on ports that require a client
 * certificate signed by the test CA ({@code smtpd_tls_req_ccert}) and let such a client send without AUTH
 * ({@code permit_tls_all_clientcerts}); STARTTLS and implicit TLS, the certificate as PEM files and as PKCS#12.
 */
class ClientCertificateIT extends RealServerTestBase {

  enum Format {
    PEM, PKCS12
  }

  private static KeyCertOptions keyCert(Format format) {
    return format == Format.PEM
      ? new PemKeyCertOptions().setCertPath(servers.get("client.cert.pem")).setKeyPath(servers.get("client.key.pem"))
      : new PfxOptions().setPath(servers.get("client.p12")).setPassword(servers.get("client.p12.password"));
  }

  private static SmtpClientOptions relay(TlsMode mode) {
    String port = mode == TlsMode.IMPLICIT ? "postfix.client.cert.smtps.port" : "postfix.client.cert.port";
    return servers.verifiedOptions(servers.port(port)).setTlsMode(mode);
  }

  static Stream<Arguments> formatsAndModes() {
    List<Arguments> cases = new ArrayList<>();
    for (Format format : Format.values()) {
      for (TlsMode mode : List.of(TlsMode.STARTTLS_REQUIRED, TlsMode.IMPLICIT)) {
        cases.add(Arguments.of(format, mode));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("formatsAndModes")
  void theRelayVerifiesTheClientCertificateAndAcceptsTheMessageWithoutAuth(Format format, TlsMode mode) {
    Maildir maildir = Maildir.postfix(servers);
    long logFrom = maildir.logPosition();
    String marker = UUID.randomUUID().toString();
    MailMessage message = new MailMessage().setFrom("cert-sender@example.test").setTo("rcpt@example.test")
      .setSubject("client certificate " + marker).setText("authenticated by " + format);

    SendResult result = Await.result(client(relay(mode).setKeyCertOptions(keyCert(format))).send(message));

    assertThat(result.acceptedRecipients()).containsExactly("rcpt@example.test");
    String delivered = maildir.awaitOne(marker);
    // smtpd_tls_received_header: Postfix records the client certificate it verified in the Received header...
    assertThat(delivered.replaceAll("\\s+", " "))
      .contains("(Client CN \"" + servers.get("client.cert.cn") + "\", Issuer \"migo-smtp test CA\" (verified OK))");
    // ...and logs the connection as "Trusted" (verified client certificate), not "Anonymous" or "Untrusted".
    String service = mode == TlsMode.IMPLICIT ? "postfix/client-cert-smtps/" : "postfix/client-cert/";
    maildir.awaitLogLine(logFrom, line -> line.contains(service) && line.contains("Trusted TLS connection established"),
      "Postfix's log line of a trusted client certificate");
  }

  @ParameterizedTest
  @EnumSource(value = TlsMode.class, names = {"STARTTLS_REQUIRED", "IMPLICIT"})
  void withoutAClientCertificateTheFailureSaysWhichOptionToSet(TlsMode mode) {
    SmtpException e = (SmtpException) Await.failure(client(relay(mode)).send(new MailMessage()
      .setFrom("cert-sender@example.test").setTo("rcpt@example.test").setSubject("x").setText("x")));

    // Postfix ends the session right after the handshake: its greeting (implicit TLS) or EHLO reply (STARTTLS).
    assertThat(e.phase()).isEqualTo(mode == TlsMode.IMPLICIT ? SmtpPhase.GREETING : SmtpPhase.EHLO);
    assertThat(e.reason()).isEqualTo(Reason.SECURITY);
    assertThat(e.replyCode()).isEqualTo(421);
    assertThat(e.getMessage())
      .contains("the relay requires a TLS client certificate")
      .contains("setKeyCertOptions")
      .contains("--client-cert")
      .contains("No client certificate presented");
  }
}
