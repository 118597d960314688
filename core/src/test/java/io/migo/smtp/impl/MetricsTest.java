package io.migo.smtp.impl;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.BulkOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.PoolStats.CloseReason;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpMetrics;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.ThrottlingRules.Kind;
import io.migo.smtp.impl.bulk.CountingSource;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.RelayRules;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.mail.MailMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The events a client gives its {@link SmtpMetrics}: one per completion, counted as {@code progress()} counts it,
 * one per deferral and per throttling reply, and one per session opened, closed (with the pool's reason) or failed to
 * open. Each count is checked against what the client or the script says independently.
 */
class MetricsTest extends ScriptedClientTestBase {

  /** Counts every event by name and argument; any thread. */
  static final class Recorder implements SmtpMetrics {
    final Map<String, Integer> counts = new ConcurrentHashMap<>();
    final List<Long> latencies = new CopyOnWriteArrayList<>();

    @Override
    public void messageCompleted(Status status, long latencyNanos) {
      count("completed " + status);
      latencies.add(latencyNanos);
    }

    @Override
    public void deferred(Kind kind) {
      count("deferred " + kind);
    }

    @Override
    public void throttled(Kind kind) {
      count("throttled " + kind);
    }

    @Override
    public void sessionOpened() {
      count("opened");
    }

    @Override
    public void sessionClosed(CloseReason reason) {
      count("closed " + reason);
    }

    @Override
    public void sessionFailed(SmtpPhase phase, Reason reason) {
      count("failed " + phase + " " + reason);
    }

    private void count(String event) {
      counts.merge(event, 1, Integer::sum);
    }

    int count(String prefix, Object value) {
      return counts.getOrDefault(prefix + " " + value, 0);
    }

    int total(String prefix) {
      return counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix + " "))
        .mapToInt(Map.Entry::getValue).sum();
    }
  }

  private final Recorder metrics = new Recorder();

  @Test
  void theDefaultIsNoneAndACopyOfTheOptionsKeepsTheSameMetrics() {
    assertThat(new SmtpClientOptions().getMetrics()).isSameAs(SmtpMetrics.NONE);
    assertThat(new SmtpClientOptions(new SmtpClientOptions().setMetrics(metrics)).getMetrics()).isSameAs(metrics);
  }

  @Test
  void everyCompletionIsCountedByOutcomeWithItsLatencyAsProgressCountsIt() {
    RelayRules.install(server, "PIPELINING", "ENHANCEDSTATUSCODES");
    start(plainOptions(listen()).setMetrics(metrics), new PoolOptions().setMaxSize(1));

    // Its only recipient refused after a pipelined DATA got its 354: the client ends that session (an empty message
    // must not be sent), so the next messages go on a second one.
    Await.failure(client.send(Envelope.of("a@example.test", RelayRules.REFUSED_PREFIX + "@example.test"),
      Buffer.buffer(MESSAGE)));
    for (int i = 0; i < 3; i++) {
      Await.result(sendSimple());
    }
    // Refused by the client's own checks, before any byte goes out: completed on this thread, REJECTED.
    SmtpException invalid = (SmtpException) Await.failure(client.send(new MailMessage().setText("no envelope")));
    assertThat(invalid.reason()).isEqualTo(Reason.INVALID_INPUT);

    assertThat(metrics.count("completed", Status.DELIVERED)).isEqualTo(3).isEqualTo(client.progress().delivered());
    assertThat(metrics.count("completed", Status.REJECTED)).isEqualTo(2).isEqualTo(client.progress().rejected());
    assertThat(metrics.total("completed")).isEqualTo(5);
    assertThat(metrics.latencies).hasSize(5).allSatisfy(nanos -> assertThat(nanos).isPositive());
    assertThat(metrics.counts.get("opened")).isEqualTo(2).isEqualTo(server.connections());
    assertThat(metrics.total("throttled") + metrics.total("deferred") + metrics.total("failed")).isZero();

    Await.result(client.close());

    assertThat(metrics.count("closed", CloseReason.FAILED)).as("the session the refusal ended").isEqualTo(1);
    assertThat(metrics.count("closed", CloseReason.CLIENT_CLOSED)).isEqualTo(1);
    assertThat(metrics.total("closed")).isEqualTo(2);
    assertThat(client.poolStats().closed()).isEqualTo(Map.of(CloseReason.FAILED, 1L, CloseReason.CLIENT_CLOSED, 1L));
  }

  @Test
  void sessionsClosedForTheirMessageLimitAreCountedWithThatReason() {
    RelayRules.install(server, "PIPELINING", "ENHANCEDSTATUSCODES");
    start(plainOptions(listen()).setMetrics(metrics),
      new PoolOptions().setMaxSize(1).setMaxMessagesPerSession(1));

    Await.result(sendSimple());
    Await.result(sendSimple());
    Await.result(client.close());

    assertThat(metrics.counts.get("opened")).isEqualTo(2).isEqualTo(server.connections());
    assertThat(metrics.count("closed", CloseReason.MESSAGE_LIMIT)).as("each after its one message").isEqualTo(2);
    assertThat(metrics.total("closed")).isEqualTo(2);
    assertThat(client.poolStats().closed()).isEqualTo(Map.of(CloseReason.MESSAGE_LIMIT, 2L));
  }

  @Test
  void eachDeferralAndEachThrottlingReplyIsCountedWithItsKind() {
    Step tooMuchMail = Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
      .reply("450 4.7.1 Error: too much mail from 127.0.0.1", "503 5.5.1 Error: need MAIL command",
        "503 5.5.1 Error: need MAIL command");
    server.script(greeting(), ehloPipelining(), tooMuchMail,
      Step.on("RSET", "MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.0.0 Ok", "450 4.7.1 Error: too much mail from 127.0.0.1", "503 5.5.1 Error: need MAIL command",
          "503 5.5.1 Error: need MAIL command"),
      Step.on("RSET", "MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.0.0 Ok", "250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>"),
      queued(), quit());
    start(plainOptions(listen()).setMetrics(metrics));

    Await.result(sendSimple());
    Await.result(client.close());

    assertThat(metrics.count("deferred", Kind.RATE_LIMIT)).isEqualTo(2);
    assertThat(metrics.count("throttled", Kind.RATE_LIMIT)).isEqualTo(2).isEqualTo(client.progress().throttleEvents());
    assertThat(metrics.total("deferred")).isEqualTo(2);
    assertThat(metrics.total("throttled")).isEqualTo(2);
    assertThat(metrics.counts).containsEntry("completed " + Status.DELIVERED, 1).containsEntry("opened", 1);
    assertScriptFollowed();
  }

  @Test
  void aConnectionLimitAtTheGreetingIsAFailedSessionAndOneThrottleEvent() {
    server.script(Step.greeting("421 4.7.0 scripted.test Error: too many connections from 127.0.0.1").thenClose())
      .script(greeting(), ehloPipelining())
      .loop(simpleTransactionPipelined(), queued());
    start(plainOptions(listen()).setMetrics(metrics), new PoolOptions().setMaxSize(4));

    List<SendOutcome> outcomes = sendAll(10);

    assertThat(outcomes).hasSize(10).allMatch(o -> o.status() == Status.DELIVERED);
    assertThat(metrics.count("completed", Status.DELIVERED)).isEqualTo(10);
    assertThat(metrics.count("failed " + SmtpPhase.GREETING, Reason.REPLY)).isEqualTo(1);
    assertThat(metrics.total("failed")).isEqualTo(1);
    assertThat(metrics.counts.get("opened")).isEqualTo(1);
    assertThat(metrics.count("throttled", Kind.CONNECTION_LIMIT)).isEqualTo(1)
      .isEqualTo(client.progress().throttleEvents());
    // How many messages were waiting for the refused session (and so were deferred) is up to timing; that each
    // deferral is counted once is not.
    int deferrals = outcomes.stream().mapToInt(SendOutcome::deferrals).sum();
    assertThat(deferrals).isPositive();
    assertThat(metrics.count("deferred", Kind.CONNECTION_LIMIT)).isEqualTo(deferrals);
    assertThat(metrics.total("deferred")).isEqualTo(deferrals);
  }

  @Test
  void aWrongPasswordIsOneSessionFailedAtAuth() {
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING", "250 AUTH PLAIN"),
      Step.on("AUTH PLAIN *").reply("535 5.7.8 Error: authentication failed: authentication failure"));
    start(plainOptions(listen()).setAllowPlaintextAuth(true).setAuthMechanisms(Set.of(AuthMechanism.PLAIN))
      .setCredentials("alice@example.test", "wrong").setMetrics(metrics), new PoolOptions().setMaxSize(4));

    List<SendOutcome> outcomes = sendAll(5);

    assertThat(outcomes).hasSize(5).allMatch(o -> o.status() == Status.FAILED);
    assertThat(metrics.counts).containsEntry("failed " + SmtpPhase.AUTH + " " + Reason.AUTHENTICATION_FAILED, 1);
    assertThat(metrics.total("failed")).isEqualTo(1);
    assertThat(metrics.count("completed", Status.FAILED)).isEqualTo(5);
    assertThat(metrics.counts).doesNotContainKey("opened");
  }

  private List<SendOutcome> sendAll(int count) {
    List<SendOutcome> outcomes = new ArrayList<>();
    Promise<Void> done = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> {
      ReadStream<SendOutcome> stream = client.sendAll(CountingSource.of(count), new BulkOptions());
      stream.exceptionHandler(done::tryFail);
      stream.endHandler(end -> done.tryComplete());
      stream.handler(outcomes::add);
    });
    Await.result(done.future());
    return outcomes;
  }
}
