package io.migo.smtp.it;

import io.migo.smtp.Envelope;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A wrong password in a job of 300 messages, 8 sessions allowed, against the real Postfix (STARTTLS, Cyrus SASL):
 * Postfix logs exactly one failed AUTH, and every message fails with the server's 535. A client that tried once per
 * message or once per session would get a real account locked.
 */
class WrongPasswordIT {

  private static final int MESSAGES = 300;

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
  void oneFailedAuthAtTheRelayForTheWholeJob() {
    Path log = Path.of(servers.get("postfix.log"));
    long logStart = size(log);
    // A user of our own, so that this test counts its own attempts whatever else talks to Postfix meanwhile.
    String user = "nobody-" + UUID.randomUUID() + "@example.test";
    SmtpClient client = SmtpClient.create(vertx,
      servers.verifiedOptions(servers.port("postfix.submission.port")).setCredentials(user, "wrong-password"),
      new PoolOptions().setMaxSize(8));

    List<Future<SendResult>> sends = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      sends.add(client.send(Envelope.of(servers.user(), "rcpt@example.test"),
        Buffer.buffer("Subject: never sent " + i + "\r\n\r\nbody\r\n")));
    }
    List<Throwable> failures = sends.stream().map(Await::failure).toList();
    Await.result(client.close());

    assertThat(failures).hasSize(MESSAGES).allSatisfy(failure -> {
      assertThat(failure).isInstanceOf(SmtpException.class);
      assertThat(((SmtpException) failure).reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
      assertThat(((SmtpException) failure).replyCode()).isEqualTo(535);
    });
    // Postfix logs the session's "disconnect" line after its AUTH lines: wait for it (by the log's progress).
    Await.until(() -> newLogLines(log, logStart).stream().anyMatch(l -> l.contains("disconnect from")
        && l.contains("auth=0/1")), "Postfix's disconnect line for the session with the failed AUTH");
    assertThat(newLogLines(log, logStart)).filteredOn(l -> l.contains("authentication failed")
      && l.contains("sasl_username=" + user)).as("failed AUTH attempts in Postfix's log").hasSize(1);
  }

  private static long size(Path log) {
    try {
      return Files.size(log);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + log, e);
    }
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
