package io.migo.smtp.it;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Envelope;
import io.migo.smtp.RetryPolicy;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.FaultProxy;
import io.migo.smtp.testkit.FaultProxy.DropPoint;
import io.migo.smtp.testkit.Maildir;
import io.migo.smtp.testkit.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two drops that decide what a caller may do next, made by {@link FaultProxy} between the client and the real
 * Postfix's plain port (cleartext, so that the proxy can follow the dialogue; CRAM-MD5, the one mechanism the client
 * sends in clear). A drop in the content leaves Postfix nothing: FAILED, safe to send again. A drop after the final
 * dot reached Postfix but before its 250 reached the client leaves the message delivered: UNKNOWN, and the client,
 * though allowed to retry, must not send it again.
 */
class PostfixBehindFaultProxyIT {

  /**
   * Larger than everything that can hold the content short of the proxy reading it: the client's kernel send buffer
   * (at most tcp_wmem's maximum, 4 MiB by default) and the proxy's fixed receive buffer. Below Postfix's
   * message_size_limit (10,240,000 bytes in scripts/test-servers.sh).
   */
  private static final int LARGE = 8 * 1024 * 1024;

  private TestServers servers;
  private Maildir maildir;
  private Vertx vertx;
  private FaultProxy proxy;
  private SmtpClient client;

  @BeforeEach
  void setUp() {
    servers = TestServers.require();
    maildir = Maildir.postfix(servers);
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    try {
      if (client != null) {
        Await.result(client.close());
      }
      if (proxy != null) {
        Await.result(proxy.stop());
      }
    } finally {
      Await.result(vertx.close());
    }
  }

  private SmtpClient clientThrough(DropPoint point, RetryPolicy retries) {
    proxy = FaultProxy.dropOnce(vertx, servers.port("postfix.plain.port"), point);
    int port = Await.result(proxy.start());
    SmtpClientOptions options = servers.verifiedOptions(port).setHost(servers.get("host")).setTlsMode(TlsMode.NONE)
      .setCredentials(servers.user(), servers.password()).setAuthMechanisms(Set.of(AuthMechanism.CRAM_MD5))
      .setChunking(false) // DATA, so that the proxy can see the final dot
      .setRetryPolicy(retries);
    client = SmtpClient.create(vertx, options);
    return client;
  }

  private static String message(String marker, String body) {
    return "Message-ID: <" + marker + "@example.test>\r\nSubject: " + marker + "\r\n\r\n" + body;
  }

  @Test
  void aDropInTheContentIsFailedAndPostfixHasNothing() throws IOException {
    assertThat(LARGE).as("the message must outgrow the client's largest kernel send buffer")
      .isGreaterThan(maxSendBuffer() + 4 * FaultProxy.RECEIVE_BUFFER);
    String marker = "fault-content-" + UUID.randomUUID();
    // No retries: a FAILED message may be sent again, and a retry through the now transparent proxy would succeed.
    SmtpClient client = clientThrough(DropPoint.IN_CONTENT, RetryPolicy.none());
    long logStart = maildir.logPosition();

    Throwable failure = Await.failure(client.send(Envelope.of(servers.user(), "rcpt@example.test"),
      Buffer.buffer(message(marker, ("z".repeat(98) + "\r\n").repeat(LARGE / 100)))));

    assertThat(SendOutcome.statusOf(failure)).as("outcome of %s", failure).isEqualTo(SendOutcome.Status.FAILED);
    assertThat(((SmtpException) failure).phase()).isEqualTo(SmtpPhase.MESSAGE);
    assertThat(proxy.drops()).isEqualTo(1);
    assertThat(proxy.contentsForwarded()).isEqualTo(1);
    // Postfix keeps no partial message: once it has noticed the lost connection, nothing of it can be delivered.
    maildir.awaitLogLine(logStart, line -> line.contains("postfix/plain/smtpd") && line.contains("lost connection after DATA"),
      "Postfix noticing the lost connection");
    assertThat(maildir.containing(marker)).isEmpty();
  }

  @Test
  void aDropAfterTheFinalDotIsUnknownAndTheMessageIsNotSentAgain() {
    String marker = "fault-verdict-" + UUID.randomUUID();
    // Retries allowed: the client must still not resend a message whose fate is unknown.
    SmtpClient client = clientThrough(DropPoint.AFTER_FINAL_DOT,
      new RetryPolicy(3, Duration.ofMillis(10), 2, Duration.ofMillis(100)));

    Throwable failure = Await.failure(client.send(Envelope.of(servers.user(), "rcpt@example.test"),
      Buffer.buffer(message(marker, "delivered, though the client never heard\r\n"))));
    Await.result(client.close()); // after this, the client can send nothing more

    assertThat(SendOutcome.statusOf(failure)).as("outcome of %s", failure).isEqualTo(SendOutcome.Status.UNKNOWN);
    assertThat(((SmtpException) failure).phase()).isEqualTo(SmtpPhase.DATA_END);
    assertThat(proxy.drops()).isEqualTo(1);
    assertThat(proxy.contentsForwarded()).as("contents sent to Postfix, resends included").isEqualTo(1);
    maildir.awaitOne(marker);
    assertThat(maildir.containing(marker)).as("copies delivered").hasSize(1);
  }

  /** tcp_wmem's maximum, which bounds how far the kernel lets the client write ahead of the proxy. */
  private static int maxSendBuffer() throws IOException {
    Path wmem = Path.of("/proc/sys/net/ipv4/tcp_wmem");
    if (!Files.isReadable(wmem)) {
      return 4 * 1024 * 1024;
    }
    String[] values = Files.readString(wmem).trim().split("\\s+");
    return Integer.parseInt(values[values.length - 1]);
  }
}
