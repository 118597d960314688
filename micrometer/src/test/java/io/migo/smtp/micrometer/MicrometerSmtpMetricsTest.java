package io.migo.smtp.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Envelope;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.RelayRules;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The meters of a client against the scripted server, each value checked exactly. */
class MicrometerSmtpMetricsTest extends ScriptedClientTestBase {

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final MicrometerSmtpMetrics metrics = new MicrometerSmtpMetrics(registry, Tags.of("relay", "scripted"));

  @Test
  void countsMessagesByOutcomeWithTheirLatencyAndTheSessionsOpenedAndClosed() {
    RelayRules.install(server); // no PIPELINING: the refused recipient is known before DATA, the session lives on
    start(options().setMaxRate(1000), new PoolOptions().setMaxSize(3));
    metrics.bindTo(client);

    for (int i = 0; i < 4; i++) {
      Await.result(sendSimple());
    }
    Await.failure(client.send(Envelope.of("a@example.test", RelayRules.REFUSED_PREFIX + "@example.test"),
      Buffer.buffer(MESSAGE)));

    assertThat(counter(MicrometerSmtpMetrics.MESSAGES, "outcome", "delivered")).isEqualTo(4);
    assertThat(counter(MicrometerSmtpMetrics.MESSAGES, "outcome", "rejected")).isEqualTo(1);
    for (String outcome : new String[] {"partially_delivered", "failed", "unknown"}) {
      assertThat(counter(MicrometerSmtpMetrics.MESSAGES, "outcome", outcome)).as(outcome).isZero();
    }
    assertThat(registry.find(MicrometerSmtpMetrics.MESSAGES).counters()).as("one counter per outcome of a send")
      .hasSize(5);
    Timer delivered = timer("delivered");
    assertThat(delivered.count()).isEqualTo(4);
    assertThat(delivered.totalTime(TimeUnit.NANOSECONDS)).isPositive();
    assertThat(timer("rejected").count()).isEqualTo(1);
    assertThat(counter(MicrometerSmtpMetrics.SESSIONS_OPENED)).as("one session carried all").isEqualTo(1);
    assertThat(registry.find(MicrometerSmtpMetrics.SESSIONS_CLOSED).counters())
      .allSatisfy(c -> assertThat(c.count()).isZero());
    assertThat(gauge(MicrometerSmtpMetrics.POOL_ACTIVE)).isZero();
    assertThat(gauge(MicrometerSmtpMetrics.POOL_IDLE)).isEqualTo(1);
    assertThat(gauge(MicrometerSmtpMetrics.POOL_WAITING)).isZero();
    assertThat(gauge(MicrometerSmtpMetrics.RATE_LIMIT)).as("the configured maximum").isEqualTo(1000);
    assertThat(gauge(MicrometerSmtpMetrics.SESSION_LIMIT)).as("the pool's maximum").isEqualTo(3);
    assertThat(gauge(MicrometerSmtpMetrics.DEFERRED)).isZero();

    Await.result(client.close());

    assertThat(counter(MicrometerSmtpMetrics.SESSIONS_CLOSED, "reason", "client_closed")).isEqualTo(1);
    assertThat(registry.find(MicrometerSmtpMetrics.SESSIONS_CLOSED).counters().stream()
      .mapToDouble(c -> c.count()).sum()).isEqualTo(1);
    assertThat(gauge(MicrometerSmtpMetrics.POOL_IDLE)).isZero();
    assertThat(registry.getMeters()).as("every meter carries the instance's tags")
      .allSatisfy(m -> assertThat(m.getId().getTag("relay")).isEqualTo("scripted"));
  }

  @Test
  void poolGaugesReadTheLiveState() {
    Promise<Void> gate = Promise.promise();
    // The first message's envelope is answered only at the gate, so its session stays busy (a session awaiting only
    // a verdict would take the second message behind it, and none would wait).
    server.script(greeting(), ehloPipelining(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>").after(gate.future()),
      Step.onData().reply("250 2.0.0 Ok: queued as FIRST"),
      simpleTransactionPipelined(), Step.onData().reply("250 2.0.0 Ok: queued as SECOND"), quit());
    start(options(), new PoolOptions().setMaxSize(1));
    metrics.bindTo(client);

    Future<SendResult> first = sendSimple();
    Future<SendResult> second = sendSimple();
    // The first holds the only session (once its handshake is over), the second waits for it.
    Await.until(() -> client.poolStats().active() == 1 && client.poolStats().waiting() == 1, "one active, one waiting");

    assertThat(gauge(MicrometerSmtpMetrics.POOL_ACTIVE)).isEqualTo(1);
    assertThat(gauge(MicrometerSmtpMetrics.POOL_IDLE)).isZero();
    assertThat(gauge(MicrometerSmtpMetrics.POOL_WAITING)).isEqualTo(1);

    gate.complete();
    Await.result(first);
    Await.result(second);

    assertThat(gauge(MicrometerSmtpMetrics.POOL_ACTIVE)).isZero();
    assertThat(gauge(MicrometerSmtpMetrics.POOL_WAITING)).isZero();
    assertThat(gauge(MicrometerSmtpMetrics.POOL_IDLE)).isEqualTo(1);
    assertThat(counter(MicrometerSmtpMetrics.MESSAGES, "outcome", "delivered")).isEqualTo(2);
    Await.result(client.close());
    assertScriptFollowed();
  }

  @Test
  void countsDeferralsAndThrottleEventsByKind() {
    Step tooMuchMail = Step.on("RSET", "MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
      .reply("250 2.0.0 Ok", "450 4.7.1 Error: too much mail from 127.0.0.1", "503 5.5.1 Error: need MAIL command",
        "503 5.5.1 Error: need MAIL command");
    server.script(greeting(), ehloPipelining(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("450 4.7.1 Error: too much mail from 127.0.0.1", "503 5.5.1 Error: need MAIL command",
          "503 5.5.1 Error: need MAIL command"),
      tooMuchMail,
      Step.on("RSET", "MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.0.0 Ok", "250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>"),
      queued(), quit());
    start(options());
    metrics.bindTo(client);

    Await.result(sendSimple());

    assertThat(counter(MicrometerSmtpMetrics.DEFERRALS, "kind", "rate_limit")).isEqualTo(2);
    assertThat(counter(MicrometerSmtpMetrics.THROTTLE_EVENTS, "kind", "rate_limit")).isEqualTo(2)
      .isEqualTo(client.progress().throttleEvents());
    assertThat(registry.find(MicrometerSmtpMetrics.DEFERRALS).counters().stream().mapToDouble(c -> c.count()).sum())
      .isEqualTo(2);
    assertThat(counter(MicrometerSmtpMetrics.MESSAGES, "outcome", "delivered")).isEqualTo(1);
    assertThat(gauge(MicrometerSmtpMetrics.RATE_LIMIT)).as("lowered by the relay's rate reply").isPositive()
      .isEqualTo(client.progress().rateLimit());
    assertThat(gauge(MicrometerSmtpMetrics.DEFERRED)).isZero();
    Await.result(client.close());
    assertScriptFollowed();
  }

  @Test
  void countsASessionThatFailedToOpenByPhaseAndReason() {
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING", "250 AUTH PLAIN"),
      Step.on("AUTH PLAIN *").reply("535 5.7.8 Error: authentication failed: authentication failure"));
    start(options().setAllowPlaintextAuth(true).setAuthMechanisms(Set.of(AuthMechanism.PLAIN))
      .setCredentials("alice@example.test", "wrong"));
    metrics.bindTo(client);

    Await.failure(sendSimple());
    Await.failure(sendSimple());

    assertThat(registry.get(MicrometerSmtpMetrics.SESSIONS_FAILED)
      .tags("phase", "auth", "reason", "authentication_failed").counter().count()).isEqualTo(1);
    assertThat(registry.find(MicrometerSmtpMetrics.SESSIONS_FAILED).counters()).hasSize(1);
    assertThat(counter(MicrometerSmtpMetrics.MESSAGES, "outcome", "failed")).isEqualTo(2);
    assertThat(counter(MicrometerSmtpMetrics.SESSIONS_OPENED)).isZero();
  }

  private SmtpClientOptions options() {
    return plainOptions(listen()).setMetrics(metrics);
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  private Timer timer(String outcome) {
    return registry.get(MicrometerSmtpMetrics.SEND_LATENCY).tags("outcome", outcome).timer();
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }
}
