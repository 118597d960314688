package io.migo.smtp.demo;

import io.migo.smtp.Envelope;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.TlsMode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The demo server is only worth showing if it really insists on TLS, AUTH and a verified certificate. */
class EmbeddedSmtpServerTest {

  private static EmbeddedSmtpServer server;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    server = new EmbeddedSmtpServer().start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.reset();
  }

  private static SmtpClientOptions verified() {
    return new SmtpClientOptions()
      .setHost(server.host())
      .setPort(server.port())
      .setTlsMode(TlsMode.STARTTLS_REQUIRED)
      .setTrustOptions(server.trustOptions())
      .setCredentials(server.user(), server.password())
      .setCommandTimeout(Duration.ofSeconds(30));
  }

  private static Future<?> sendWith(SmtpClientOptions options) {
    SmtpClient client = SmtpClient.create(vertx, options);
    return client.send(Envelope.of("a@example.com", "b@example.com"), Buffer.buffer("Subject: t\r\n\r\nbody\r\n"))
      .eventually(client::close);
  }

  private static Object await(Future<?> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static Throwable failure(Future<?> future) {
    try {
      await(future);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void certificateIsForLocalhostAndLoopback() throws Exception {
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
      .generateCertificate(new ByteArrayInputStream(server.certificatePem().getBytes()));

    assertThat(cert.getSubjectAlternativeNames())
      .contains(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
  }

  @Test
  void acceptsAVerifiedAuthenticatedSession() throws Exception {
    await(sendWith(verified()));

    assertThat(server.received()).isEqualTo(1);
    assertThat(server.lastMessages()).singleElement().satisfies(m -> {
      assertThat(m.sender()).isEqualTo("a@example.com");
      assertThat(m.recipients()).containsExactly("b@example.com");
      assertThat(m.contentAsString()).contains("Subject: t", "body");
    });
  }

  @Test
  void refusesMailWithoutTls() {
    // Without TLS the server does not even offer AUTH; a client that tries anyway gets nowhere.
    Throwable e = failure(sendWith(verified().setTlsMode(TlsMode.NONE).setAllowPlaintextAuth(true)));
    assertThat(e).isInstanceOf(SmtpException.class);
    assertThat(((SmtpException) e).phase()).as(e.getMessage()).isEqualTo(SmtpPhase.AUTH);

    // And without credentials, MAIL is refused until STARTTLS.
    SmtpClientOptions clear = new SmtpClientOptions(verified()).setTlsMode(TlsMode.NONE).setCredentialsSupplier(null);
    Throwable refused = failure(sendWith(clear));
    assertThat(((SmtpException) refused).replyCode()).as(refused.getMessage()).isEqualTo(530);
    assertThat(server.received()).isZero();
  }

  @Test
  void refusesMailWithoutAuth() {
    SmtpClientOptions anonymous = new SmtpClientOptions(verified()).setCredentialsSupplier(null);
    Throwable e = failure(sendWith(anonymous));

    assertThat(e).isInstanceOf(SmtpException.class);
    assertThat(((SmtpException) e).phase()).isEqualTo(SmtpPhase.MAIL);
    assertThat(((SmtpException) e).replyCode()).isEqualTo(530);
  }

  @Test
  void refusesAWrongPassword() {
    Throwable e = failure(sendWith(verified().setCredentials(server.user(), "wrong")));

    assertThat(((SmtpException) e).phase()).isEqualTo(SmtpPhase.AUTH);
    assertThat(((SmtpException) e).replyCode()).isEqualTo(535);
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateFails() {
    SmtpClientOptions jvmTrust = verified().setTrustOptions(null);

    assertThat(failure(sendWith(jvmTrust))).isNotNull();
    assertThat(server.received()).isZero();
  }
}
