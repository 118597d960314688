package io.migo.smtp.impl.session;

import io.migo.smtp.Envelope;
import io.migo.smtp.RetryPolicy;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.TlsEngine;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A relay that refuses the TLS handshake itself for want of a client certificate (TLS 1.3 alert
 * {@code certificate_required}), or for one it does not trust, rather than with a reply after it as Postfix does.
 */
class ClientCertificateAlertTest {

  private final Vertx vertx = Vertx.vertx();
  private final SelfSignedCertificate serverCertificate = SelfSignedCertificate.create("localhost");
  private final SelfSignedCertificate trustedClient = SelfSignedCertificate.create("trusted-client");
  private SmtpClient client;

  @AfterEach
  void tearDown() {
    if (client != null) {
      Await.result(client.close());
    }
    Await.result(vertx.close());
  }

  private int startServer() {
    NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
      .setKeyCertOptions(serverCertificate.keyCertOptions())
      .setTrustOptions(trustedClient.trustOptions())
      .setClientAuth(ClientAuth.REQUIRED));
    server.connectHandler(socket -> socket.write("220 cert.test ESMTP\r\n"));
    return Await.result(server.listen()).actualPort();
  }

  private SmtpException send(SmtpClientOptions options) {
    client = SmtpClient.create(vertx, options);
    return (SmtpException) Await.failure(client.send(Envelope.of("a@example.test", "b@example.test"),
      Buffer.buffer("Subject: x\r\n\r\nx\r\n")));
  }

  private SmtpClientOptions options(int port, TlsEngine engine) {
    return new SmtpClientOptions().setHost("localhost").setPort(port).setTlsMode(TlsMode.IMPLICIT).setTlsEngine(engine)
      .setTrustOptions(serverCertificate.trustOptions()).setEhloName("client.example")
      .setConnectTimeout(Duration.ofSeconds(5)).setGreetingTimeout(Duration.ofSeconds(5))
      .setRetryPolicy(RetryPolicy.none());
  }

  @ParameterizedTest
  @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
  void noCertificateIsATlsFailureThatNamesTheOption(TlsEngine engine) {
    SmtpException e = send(options(startServer(), engine));

    assertThat(e.reason()).isEqualTo(Reason.TLS);
    assertThat(e.getMessage()).contains("the relay requires a TLS client certificate", "setKeyCertOptions",
      "--client-cert");
  }

  @ParameterizedTest
  @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
  void aCertificateTheRelayDoesNotTrustIsTheSameFailure(TlsEngine engine) {
    SelfSignedCertificate stranger = SelfSignedCertificate.create("stranger");

    SmtpException e = send(options(startServer(), engine).setKeyCertOptions(stranger.keyCertOptions()));

    assertThat(e.reason()).isEqualTo(Reason.TLS);
    assertThat(e.getMessage()).contains("did not accept the one presented");
  }
}
