package io.migo.smtp.impl.pool;

import io.migo.smtp.Envelope;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.PoolStats;
import io.migo.smtp.PoolStats.CloseReason;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The session pool against the scripted server: reuse, rotation, eviction, waiting, and sessions that die. */
class SessionPoolTest extends ScriptedClientTestBase {

  private static final String AUTH_PLAIN = "AUTH PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABzM2NyZXQ=";

  private static Step ehloWithAuth() {
    return Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING", "250-ENHANCEDSTATUSCODES",
      "250 AUTH PLAIN");
  }

  private static Step authOk() {
    return Step.on(AUTH_PLAIN).reply("235 2.7.0 Authentication successful");
  }

  @Test
  void manyMessagesOverOneSessionCostOneAuthentication() {
    server.script(greeting(), ehloWithAuth(), authOk()).loop(simpleTransactionPipelined(), queued());
    start(plainOptions(listen()).setAllowPlaintextAuth(true).setCredentials("alice@example.test", "s3cret"),
      new PoolOptions().setMaxSize(1));

    for (int i = 0; i < 20; i++) {
      Await.result(sendSimple());
    }

    assertScriptFollowed();
    assertThat(server.connections()).isEqualTo(1);
    assertThat(server.transcript()).filteredOn(line -> line.startsWith("C: AUTH")).hasSize(1);
    assertThat(server.messages()).hasSize(20);
  }

  @Test
  void sessionsAreReplacedAfterTheirMessageQuota() {
    server.script(greeting(), ehloPipelining(),
      simpleTransactionPipelined(), queued(), simpleTransactionPipelined(), queued(), quit());
    start(plainOptions(listen()), new PoolOptions().setMaxSize(1).setMaxMessagesPerSession(2));

    for (int i = 0; i < 5; i++) {
      Await.result(sendSimple());
    }

    assertScriptFollowed();
    assertThat(server.connections()).isEqualTo(3);
    Await.until(() -> client.poolStats().closed().getOrDefault(CloseReason.MESSAGE_LIMIT, 0L) == 2, "two rotations");
    assertThat(server.transcripts().get(0)).endsWith("C: QUIT", "S: 221 2.0.0 Bye");
  }

  @Test
  void idleSessionsAreClosedWithQuit() {
    server.script(greeting(), ehloPipelining(), simpleTransactionPipelined(), queued(), quit());
    start(plainOptions(listen()), new PoolOptions().setIdleTimeout(Duration.ofMillis(100)));

    Await.result(sendSimple());

    Await.until(() -> client.poolStats().closed().getOrDefault(CloseReason.IDLE_TIMEOUT, 0L) == 1, "idle close");
    assertThat(server.transcript()).endsWith("C: QUIT", "S: 221 2.0.0 Bye");
    assertThat(client.poolStats().idle()).isZero();
  }

  @Test
  void aSessionTheServerClosedWhileIdleIsReplacedAndNothingIsLost() {
    server.script(greeting(), ehloPipelining(), simpleTransactionPipelined(),
        Step.onData().reply("250 2.0.0 Ok: queued as 1").thenClose())
      .script(greeting(), ehloPipelining(), simpleTransactionPipelined(), queued(), quit());
    start(plainOptions(listen()));

    Await.result(sendSimple());
    Await.until(() -> client.poolStats().closed().getOrDefault(CloseReason.SERVER_CLOSED, 0L) == 1, "close seen");
    Await.result(sendSimple());

    assertScriptFollowed();
    assertThat(server.connections()).isEqualTo(2);
    assertThat(server.messages()).hasSize(2);
  }

  @Test
  void a421BeforeTheDataRetriesOnceOnAFreshSession() {
    server.script(greeting(), ehloPipelining(), simpleTransactionPipelined(), queued(),
        Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
          .reply("421 4.3.2 Service shutting down").thenClose())
      .script(greeting(), ehloPipelining(), simpleTransactionPipelined(), queued(), quit());
    start(plainOptions(listen()), new PoolOptions().setMaxSize(1));

    Await.result(sendSimple());
    SendResult second = Await.result(sendSimple());

    assertThat(second.serverResponse()).contains("queued");
    assertThat(server.connections()).isEqualTo(2);
    assertThat(server.messages()).hasSize(2);
  }

  @Test
  void a421OnAFreshSessionIsRetriedOnceOnAnotherAndThenReportedAsTransient() {
    server.script(greeting(), ehloPipelining(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("421 4.3.2 Service shutting down").thenClose());
    start(plainOptions(listen()));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.MAIL);
    assertThat(e.replyCode()).isEqualTo(421);
    assertThat(e.isTransient()).isTrue();
    assertThat(server.connections()).as("one retry on a fresh session, no more").isEqualTo(2);
  }

  @Test
  void waitersTimeOutAndTheQueueIsBounded() {
    // The only session never gets the replies to its envelope, so it stays busy. (A session that only awaits its
    // final reply would take the next message behind it: PipelinedMessagesTest.)
    server.script(greeting(), ehloPipelining(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA"));
    // The acquire timeout is under test, yet long enough that the waiter is still queued when the third send
    // arrives on a busy machine; the busy session's command timeout outlasts the test body (and ends it at close).
    start(plainOptions(listen()).setCommandTimeout(Duration.ofSeconds(5)),
      new PoolOptions().setMaxSize(1).setMaxWaitQueueSize(1).setAcquireTimeout(Duration.ofMillis(1000)));

    Future<SendResult> busy = sendSimple();
    Await.until(() -> client.poolStats().active() == 1, "the session is busy");
    Future<SendResult> waiting = sendSimple();
    Await.until(() -> client.poolStats().waiting() == 1, "one waiter");
    SmtpException full = (SmtpException) Await.failure(sendSimple());
    SmtpException timedOut = (SmtpException) Await.failure(waiting);

    assertThat(full.reason()).isEqualTo(Reason.POOL_EXHAUSTED);
    assertThat(full.getMessage()).contains("wait");
    assertThat(timedOut.reason()).isEqualTo(Reason.POOL_EXHAUSTED);
    assertThat(timedOut.getMessage()).contains("1000 ms");
    assertThat(busy.isComplete()).isFalse();
  }

  @Test
  void closeFailsWaitersAndQuitsIdleSessions() {
    server.script(greeting(), ehloPipelining(), simpleTransactionPipelined(), queued(), quit());
    start(plainOptions(listen()), new PoolOptions().setMaxSize(1));
    Await.result(sendSimple());

    Await.result(client.close());

    assertThat(server.transcript()).endsWith("C: QUIT", "S: 221 2.0.0 Bye");
    SmtpException e = (SmtpException) Await.failure(sendSimple());
    assertThat(e.reason()).isEqualTo(Reason.CLOSED);
    PoolStats stats = client.poolStats();
    assertThat(stats.created()).isEqualTo(1);
    assertThat(stats.closed()).containsEntry(CloseReason.CLIENT_CLOSED, 1L);
    client = null;
  }

  @Test
  void concurrentSendsNeverInterleaveOnASession() {
    server.script(greeting(), ehloPipelining()).loop(
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<*", "DATA").reply("250 2.1.0 Ok", "250 2.1.5 Ok", "354 go"),
      queued());
    start(plainOptions(listen()), new PoolOptions().setMaxSize(4));

    List<Future<SendResult>> sends = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      sends.add(client.send(Envelope.of("a@example.test", "r" + i + "@example.test"),
        Buffer.buffer("Subject: message " + i + "\r\n\r\nbody " + i + "\r\n")));
    }
    Await.result(Future.all(sends));

    assertScriptFollowed();
    assertThat(server.connections()).isBetween(2, 4);
    assertThat(server.messages()).hasSize(60);
    for (List<String> transcript : server.transcripts()) {
      // Within one connection each message's own recipient and content follow each other, never another's.
      String expectedSubject = null;
      for (String line : transcript) {
        if (line.startsWith("C: RCPT TO:<r")) {
          expectedSubject = line.substring("C: RCPT TO:<r".length(), line.indexOf('@'));
        }
        if (line.startsWith("C: <data")) {
          assertThat(expectedSubject).isNotNull();
          expectedSubject = null;
        }
      }
    }
    for (int i = 0; i < 60; i++) {
      assertThat(server.messages()).contains("Subject: message " + i + "\r\n\r\nbody " + i + "\r\n");
    }
  }

  @Test
  void withChunkingAWholeMessageIsOneWriteOnceTheSessionHasDeliveredOne() {
    server.script(greeting(),
        Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING", "250 CHUNKING"),
        // The session's first message: the content waits for the envelope's replies.
        Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>").reply("250 2.1.0 Ok", "250 2.1.5 Ok"),
        Step.on("BDAT 24 LAST").reply("250 2.0.0 Ok: queued"))
      .loop(Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "BDAT 24 LAST")
        .reply("250 2.1.0 Ok", "250 2.1.5 Ok", "250 2.0.0 Ok: queued"));
    start(plainOptions(listen()), new PoolOptions().setMaxSize(1));

    Await.result(sendSimple());
    Await.result(client.send(Envelope.of("a@example.test", "b@example.test"), Buffer.buffer("Subject: test\n\nHello")));
    Await.result(sendSimple());

    assertScriptFollowed();
    assertThat(server.messages()).containsExactly(MESSAGE, MESSAGE, MESSAGE);
    assertThat(server.reads()).contains("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n");
    assertThat(server.reads()).filteredOn(read -> read.contains("MAIL FROM"))
      .as("after the first, each message is one write").hasSize(3)
      .last().isEqualTo("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nBDAT 24 LAST\r\n" + MESSAGE);
  }
}
