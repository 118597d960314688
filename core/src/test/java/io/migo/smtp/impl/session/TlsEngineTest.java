package io.migo.smtp.impl.session;

import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.TlsEngine;
import io.migo.smtp.TlsMode;
import io.migo.smtp.impl.ClientContext;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each {@link TlsEngine} against the scripted server, in a JVM that has netty-tcnative (the default test run): the
 * engine asked for is the one that encrypts, over STARTTLS and implicit TLS, and certificate and host-name checks hold
 * with each. {@code TlsEngineFallbackTest} covers the JVM without it.
 */
class TlsEngineTest extends ScriptedClientTestBase {

  @Test
  void openSslIsAvailableInThisTestRun() {
    assertThat(OpenSSLEngineOptions.isAvailable()).as("netty-tcnative on the test class path").isTrue();
  }

  @Test
  void autoPrefersOpenSslWhenAvailable() {
    assertThat(TlsEngines.resolve(TlsEngine.AUTO)).isInstanceOf(OpenSSLEngineOptions.class);
    assertThat(TlsEngines.resolve(TlsEngine.OPENSSL)).isInstanceOf(OpenSSLEngineOptions.class);
    assertThat(TlsEngines.resolve(TlsEngine.JDK)).isInstanceOf(JdkSSLEngineOptions.class);
  }

  @Test
  void explicitOpenSslIsCheckedEvenWithoutTls() {
    assertThat(TlsEngines.resolve(TlsEngine.OPENSSL, TlsMode.NONE)).isInstanceOf(OpenSSLEngineOptions.class);
    assertThat(TlsEngines.resolve(TlsEngine.AUTO, TlsMode.NONE)).isInstanceOf(JdkSSLEngineOptions.class);
  }

  @Test
  void optionsCopyTheEngine() {
    SmtpClientOptions options = new SmtpClientOptions().setTlsEngine(TlsEngine.JDK);
    assertThat(new SmtpClientOptions(options).getTlsEngine()).isEqualTo(TlsEngine.JDK);
    assertThat(new SmtpClientOptions().getTlsEngine()).isEqualTo(TlsEngine.AUTO);
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void startTlsRunsOnTheChosenEngine(TlsEngine engine) {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    server.tls(certificate).script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250 STARTTLS"),
      Step.on("STARTTLS").reply("220 2.0.0 Ready to start TLS").thenUpgradeTls(),
      ehloPipelining(), quit());
    SmtpClientOptions options = plainOptions(listen()).setHost("localhost").setTlsMode(TlsMode.STARTTLS_REQUIRED)
      .setTrustOptions(certificate.trustOptions()).setTlsEngine(engine);

    assertThat(engineOfSession(options)).isEqualTo(expected(engine));
    assertScriptFollowed();
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void implicitTlsDeliversOnTheChosenEngine(TlsEngine engine) {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    server.implicitTls(certificate).script(greeting(), ehloPipelining(), quit())
      .script(greeting(), ehloPipelining(), simpleTransactionPipelined(), queued(), quit());
    SmtpClientOptions options = plainOptions(listen()).setHost("localhost").setTlsMode(TlsMode.IMPLICIT)
      .setTrustOptions(certificate.trustOptions()).setTlsEngine(engine);

    assertThat(engineOfSession(options)).isEqualTo(expected(engine));
    start(options);
    SendResult result = Await.result(sendSimple());
    Await.result(client.close());

    assertThat(result.acceptedRecipients()).containsExactly("b@example.test");
    assertScriptFollowed();
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void wrongHostNameFailsWithEveryEngine(TlsEngine engine) {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("mail.other.example");
    server.implicitTls(certificate).script();
    start(plainOptions(listen()).setHost("localhost").setTlsMode(TlsMode.IMPLICIT)
      .setTrustOptions(certificate.trustOptions()).setTlsEngine(engine));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.CONNECT);
    assertThat(e.reason()).isEqualTo(Reason.TLS);
    assertThat(e.getMessage()).as("names the mismatch").contains("does not name host localhost");
    assertThat(e.getCause()).as("a certificate failure, not a stalled handshake").isInstanceOf(SSLHandshakeException.class);
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void untrustedCertificateFailsWithEveryEngine(TlsEngine engine) {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    server.tls(certificate).script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250 STARTTLS"),
      Step.on("STARTTLS").reply("220 2.0.0 Ready to start TLS").thenUpgradeTls());
    start(plainOptions(listen()).setHost("localhost").setTlsMode(TlsMode.STARTTLS_REQUIRED).setTlsEngine(engine));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.TLS_HANDSHAKE);
    assertThat(e.reason()).isEqualTo(Reason.TLS);
    assertThat(e.getCause()).as("a certificate failure, not a stalled handshake").isInstanceOf(SSLHandshakeException.class);
  }

  private static TlsEngine expected(TlsEngine asked) {
    return asked == TlsEngine.AUTO ? TlsEngine.OPENSSL : asked;
  }

  /** Opens one session with {@code options} and names the engine behind its TLS session. */
  private TlsEngine engineOfSession(SmtpClientOptions options) {
    ClientContext context = ClientContext.of(vertx);
    SessionFactory factory = new SessionFactory(vertx, context, new SessionSettings(options, "client.example"));
    Session session = Await.result(context.submit(factory::open));
    SSLSession ssl = Await.result(context.submit(() -> io.vertx.core.Future.succeededFuture(session.sslSession())));
    Await.result(context.submit(session::quit).compose(v -> factory.close()));
    return engineOf(ssl);
  }

  /** Netty's OpenSSL sessions are its own classes; the JDK's live in sun.security.ssl. */
  static TlsEngine engineOf(SSLSession session) {
    assertThat(session).as("a TLS session").isNotNull();
    String type = session.getClass().getName();
    if (type.startsWith("io.netty.handler.ssl.") && type.contains("OpenSsl")) {
      return TlsEngine.OPENSSL;
    }
    assertThat(type).as("the JDK's TLS session").startsWith("sun.security.ssl.");
    return TlsEngine.JDK;
  }
}
