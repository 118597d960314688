package io.migo.smtp.it;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;
import io.migo.smtp.Envelope;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** XOAUTH2 against Nodemailer's smtp-server (an independent implementation), over STARTTLS with a verified cert. */
class XOAuth2IT {

  private static TestServers servers;
  private static Vertx vertx;

  @BeforeAll
  static void setUp() {
    servers = TestServers.require();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void tearDown() {
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  private SmtpClientOptions options(String token) {
    return servers.verifiedOptions(servers.port("xoauth2.port"))
      .setTlsMode(TlsMode.STARTTLS_REQUIRED)
      .setAuthMechanisms(Set.of(AuthMechanism.XOAUTH2))
      .setCredentialsSupplier(() -> Future.succeededFuture(new Credentials(servers.user(), token)));
  }

  @Test
  void validTokenDelivers() {
    SmtpClient client = SmtpClient.create(vertx, options(servers.get("oauth.token")));
    String marker = UUID.randomUUID().toString();
    try {
      Await.result(client.send(Envelope.of(servers.user(), "rcpt@example.test"),
        Buffer.buffer("Subject: " + marker + "\r\n\r\nvia XOAUTH2\r\n")));
    } finally {
      Await.result(client.close());
    }
    TestServers.awaitDelivered(Path.of(servers.get("xoauth2.maildir")), m -> m.contains(marker),
      Await.LIMIT);
  }

  @Test
  void invalidTokenReportsTheServersJsonError() {
    SmtpClient client = SmtpClient.create(vertx, options("expired-token"));
    try {
      SmtpException e = (SmtpException) Await.failure(client.send(Envelope.of(servers.user(), "rcpt@example.test"),
        Buffer.buffer("Subject: x\r\n\r\nx\r\n")));
      assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
      assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
      assertThat(e.replyCode()).isEqualTo(535);
      assertThat(e.getMessage()).contains("\"status\":\"401\"").doesNotContain("expired-token");
    } finally {
      Await.result(client.close());
    }
  }
}
