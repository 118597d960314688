package io.migo.smtp.it;

import io.migo.smtp.Envelope;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user who switches TLS off against Postfix's submission port, which requires STARTTLS: Postfix answers every
 * envelope command with 530 and would read content sent behind the envelope as commands ("non-SMTP command" in its
 * log). The client reports the server's first refusal and sends no content at all.
 */
class CleartextToStarttlsPortIT {

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

  @Test
  void theRefusalIsReportedAndNoContentReachesPostfixsCommandParser() throws IOException {
    Path log = Path.of(servers.get("postfix.log"));
    long logStart = Files.size(log);
    SmtpClient client = SmtpClient.create(vertx, servers.verifiedOptions(servers.port("postfix.submission.port"))
      .setTlsMode(TlsMode.NONE));

    Throwable failure = Await.failure(client.send(Envelope.of(servers.user(), "rcpt@example.test"),
      Buffer.buffer("MIME-Version: 1.0\r\nSubject: cleartext\r\n\r\nthis must not be read as commands\r\n")));
    Await.result(client.close());

    assertThat(failure).isInstanceOf(SmtpException.class);
    SmtpException e = (SmtpException) failure;
    assertThat(e.phase()).isEqualTo(SmtpPhase.MAIL);
    assertThat(e.replyCode()).isEqualTo(530);
    assertThat(e.enhancedCode()).isEqualTo("5.7.0");
    assertThat(e).hasMessageContaining("TLS is off").hasMessageContaining("STARTTLS_REQUIRED");
    assertThat(e.serverMessage()).contains("STARTTLS");
    // Postfix logs a session's "disconnect" line last; wait for it (by progress of the log, not by time).
    Await.until(() -> newLogLines(log, logStart).stream().anyMatch(l -> l.contains("disconnect from")),
      "Postfix's disconnect line for the session");
    assertThat(newLogLines(log, logStart)).noneMatch(l -> l.contains("non-SMTP command"))
      .anyMatch(l -> l.contains("mail=0/1"));
  }

  private static List<String> newLogLines(Path log, long from) {
    try {
      byte[] all = Files.readAllBytes(log);
      int start = (int) Math.min(from, all.length);
      return new String(all, start, all.length - start, StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new AssertionError("cannot read " + log, e);
    }
  }
}
