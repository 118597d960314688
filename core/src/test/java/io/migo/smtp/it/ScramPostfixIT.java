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
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SCRAM against the real Postfix with Cyrus SASL (an independent implementation, which also checks our proof and
 * sends its own server signature that we verify): both hashes, for the ASCII account and for the account whose
 * password is UTF-8, over STARTTLS with a verified certificate and over the plain port without TLS (SCRAM needs no
 * TLS: the password never crosses the wire). Each message is found in the Maildir, and Postfix's log names the
 * mechanism that was used.
 */
class ScramPostfixIT {

  private static TestServers servers;
  private static Vertx vertx;
  private static Maildir maildir;

  @BeforeAll
  static void setUp() {
    servers = TestServers.require();
    vertx = Vertx.vertx();
    maildir = Maildir.postfix(servers);
  }

  @AfterAll
  static void tearDown() {
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  @ParameterizedTest(name = "{0} as {1} over {2}")
  @CsvSource({
    "SCRAM-SHA-256, user, postfix.submission.port",
    "SCRAM-SHA-1, user, postfix.submission.port",
    "SCRAM-SHA-256, utf8.user, postfix.submission.port",
    "SCRAM-SHA-1, utf8.user, postfix.submission.port",
    "SCRAM-SHA-256, utf8.user, postfix.plain.port",
  })
  void deliversAndPostfixLogsTheMechanism(String mechanism, String userKey, String portKey) {
    String user = servers.get(userKey);
    String password = servers.get(userKey.equals("user") ? "password" : "utf8.password");
    SmtpClientOptions options = servers.verifiedOptions(servers.port(portKey))
      .setTlsMode(portKey.equals("postfix.plain.port") ? TlsMode.NONE : TlsMode.STARTTLS_REQUIRED)
      .setAuthMechanisms(Set.of(AuthMechanism.fromSaslName(mechanism)))
      .setCredentials(user, password);
    String marker = UUID.randomUUID().toString();
    long logStart = maildir.logPosition();

    send(options, marker);

    String stored = maildir.awaitOne(marker);
    assertThat(stored).contains("Subject: " + marker);
    maildir.awaitLogLine(logStart, line -> line.contains("sasl_method=" + mechanism)
      && line.contains("sasl_username=" + user), "Postfix's log line for the " + mechanism + " login of " + user);
  }

  /** With the default mechanisms, a server that offers SCRAM gets SCRAM-SHA-256, not PLAIN. */
  @Test
  void defaultOptionsChooseScramSha256() {
    SmtpClientOptions options = servers.verifiedOptions(servers.port("postfix.submission.port"))
      .setCredentials(servers.get("utf8.user"), servers.get("utf8.password"));
    String marker = UUID.randomUUID().toString();
    long logStart = maildir.logPosition();

    send(options, marker);

    maildir.awaitOne(marker);
    maildir.awaitLogLine(logStart, line -> line.contains("sasl_method=SCRAM-SHA-256")
      && line.contains("sasl_username=" + servers.get("utf8.user")), "Postfix's log line for the default login");
  }

  @Test
  void wrongPasswordIsRefusedByTheServer() {
    SmtpClientOptions options = servers.verifiedOptions(servers.port("postfix.submission.port"))
      .setAuthMechanisms(Set.of(AuthMechanism.SCRAM_SHA_256))
      .setCredentials(servers.get("utf8.user"), "Grüße-wrong");
    SmtpClient client = SmtpClient.create(vertx, options);
    try {
      SmtpException e = (SmtpException) Await.failure(client.send(Envelope.of(servers.user(), "rcpt@example.test"),
        Buffer.buffer("Subject: never\r\n\r\nx\r\n")));
      assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
      assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
      assertThat(e.replyCode()).isEqualTo(535);
      assertThat(e.getMessage()).contains("SCRAM-SHA-256").doesNotContain("Grüße-wrong");
    } finally {
      Await.result(client.close());
    }
  }

  private static void send(SmtpClientOptions options, String marker) {
    SmtpClient client = SmtpClient.create(vertx, options);
    try {
      Await.result(client.send(Envelope.of(servers.user(), "rcpt@example.test"),
        Buffer.buffer("Subject: " + marker + "\r\n\r\nvia SCRAM\r\n")));
    } finally {
      Await.result(client.close());
    }
  }
}
