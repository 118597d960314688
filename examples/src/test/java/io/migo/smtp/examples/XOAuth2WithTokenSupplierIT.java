package io.migo.smtp.examples;

import io.migo.smtp.SendResult;
import io.migo.smtp.testkit.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The XOAUTH2 example against Nodemailer's smtp-server from {@code scripts/test-servers.sh} (the embedded
 * SubEthaSMTP server has no XOAUTH2): STARTTLS required, the test CA trusted, host name "localhost" verified.
 */
class XOAuth2WithTokenSupplierIT {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void everySessionAuthenticatesWithATokenFromTheSupplier() throws Exception {
    TestServers servers = TestServers.require();
    ExampleSettings settings = new ExampleSettings(servers.get("hostname"), servers.port("xoauth2.port"),
      new PemTrustOptions().addCertPath(servers.get("ca.pem")), servers.get("user"), "unused: XOAUTH2 only");
    String token = servers.get("oauth.token");
    // Tokens live 1 ms: every new session has to fetch one again.
    TokenService tokens = new TokenService(vertx, Duration.ofMillis(1), n -> token);
    String recipient = "xoauth2-" + UUID.randomUUID() + "@example.test";

    List<SendResult> results = Await.result(XOAuth2WithTokenSupplier.send(vertx, settings, tokens, recipient, 3));

    assertThat(results).hasSize(3).allSatisfy(r -> assertThat(r.acceptedRecipients()).containsExactly(recipient));
    // 3 messages, 2 per session: 2 sessions, each with its own token.
    assertThat(tokens.issued()).isEqualTo(2);
    assertThat(awaitDelivered(Path.of(servers.get("xoauth2.maildir")), recipient, 3)).hasSize(3)
      .allSatisfy(m -> assertThat(m).contains("Subject: XOAUTH2 message"));
  }

  /** The server writes each message to its own file after its 250 reply: poll for them. */
  private static List<String> awaitDelivered(Path dir, String marker, int expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // a hang, not slowness, fails
    List<String> found = List.of();
    while (System.nanoTime() < deadline) {
      try (Stream<Path> files = Files.list(dir)) {
        found = files.filter(Files::isRegularFile).map(XOAuth2WithTokenSupplierIT::read)
          .filter(m -> m.contains(marker)).toList();
      }
      if (found.size() >= expected) {
        return found;
      }
      Thread.sleep(50);
    }
    return found;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }
}
