package io.migo.smtp.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Envelope;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.Maildir;
import io.migo.smtp.testkit.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OAUTHBEARER against a real server: Dovecot's submission service with an oauth2 passdb that asks a token
 * introspection endpoint (RFC 7662), over STARTTLS with a verified certificate. Dovecot relays to Postfix, so the
 * message is found in Postfix's Maildir; Dovecot's log names the mechanism it saw.
 */
class DovecotOAuthBearerIT {

  private static TestServers servers;
  private static Vertx vertx;
  private static Maildir maildir;
  private static Maildir dovecotLog;

  @BeforeAll
  static void setUp() {
    servers = TestServers.require();
    vertx = Vertx.vertx();
    maildir = Maildir.postfix(servers);
    dovecotLog = new Maildir(Path.of(servers.get("postfix.maildir")), Path.of(servers.get("dovecot.submission.log")));
  }

  @AfterAll
  static void tearDown() {
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  /** Both token mechanisms allowed, as the CLI's --oauth-token-env does: Dovecot offers both, OAUTHBEARER wins. */
  private SmtpClientOptions options(String token) {
    return servers.verifiedOptions(servers.port("dovecot.submission.port"))
      .setTlsMode(TlsMode.STARTTLS_REQUIRED)
      .setAuthMechanisms(Set.of(AuthMechanism.OAUTHBEARER, AuthMechanism.XOAUTH2))
      .setCredentials(servers.user(), token);
  }

  @Test
  void validTokenDeliversThroughDovecotWithOauthbearer() {
    String marker = UUID.randomUUID().toString();
    long logStart = dovecotLog.logPosition();
    SmtpClient client = SmtpClient.create(vertx, options(servers.get("oauth.token")));
    try {
      Await.result(client.send(Envelope.of(servers.user(), "rcpt@example.test"),
        Buffer.buffer("Subject: " + marker + "\r\n\r\nvia OAUTHBEARER and Dovecot\r\n")));
    } finally {
      Await.result(client.close());
    }

    assertThat(maildir.awaitOne(marker)).contains("via OAUTHBEARER and Dovecot");
    dovecotLog.awaitLogLine(logStart, line -> line.contains("Login: user=<" + servers.user() + ">")
      && line.contains("method=OAUTHBEARER") && line.contains("TLS"), "Dovecot's OAUTHBEARER login over TLS");
  }

  /** The same token with XOAUTH2 alone: a second, independent XOAUTH2 server besides Nodemailer's. */
  @Test
  void xoauth2AloneAlsoDelivers() {
    String marker = UUID.randomUUID().toString();
    long logStart = dovecotLog.logPosition();
    SmtpClient client = SmtpClient.create(vertx, options(servers.get("oauth.token"))
      .setAuthMechanisms(Set.of(AuthMechanism.XOAUTH2)));
    try {
      Await.result(client.send(Envelope.of(servers.user(), "rcpt@example.test"),
        Buffer.buffer("Subject: " + marker + "\r\n\r\nvia XOAUTH2 and Dovecot\r\n")));
    } finally {
      Await.result(client.close());
    }

    maildir.awaitOne(marker);
    dovecotLog.awaitLogLine(logStart, line -> line.contains("Login: user=<" + servers.user() + ">")
      && line.contains("method=XOAUTH2"), "Dovecot's XOAUTH2 login");
  }

  @Test
  void wrongTokenFailsWithDovecotsJsonStatus() {
    SmtpClient client = SmtpClient.create(vertx, options("not-a-valid-token"));
    try {
      SmtpException e = (SmtpException) Await.failure(client.send(Envelope.of(servers.user(), "rcpt@example.test"),
        Buffer.buffer("Subject: never\r\n\r\nx\r\n")));
      assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
      assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
      assertThat(e.replyCode()).isEqualTo(535);
      assertThat(e.enhancedCode()).isEqualTo("5.7.8");
      assertThat(e.getMessage()).contains("OAUTHBEARER", "status=invalid_token").doesNotContain("not-a-valid-token");
    } finally {
      Await.result(client.close());
    }
  }
}
