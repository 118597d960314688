package io.migo.smtp.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.migo.smtp.PoolStats.CloseReason;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpMetrics;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.ThrottlingRules.Kind;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * A client's events as Micrometer meters named {@code migo.smtp.*}, on the application's {@link MeterRegistry}.
 * Give it to the client's options ({@link io.migo.smtp.SmtpClientOptions#setMetrics}), then bind the client for its
 * gauges:
 *
 * <pre>{@code
 * MicrometerSmtpMetrics metrics = new MicrometerSmtpMetrics(registry);
 * SmtpClient client = SmtpClient.create(vertx, new SmtpClientOptions().setMetrics(metrics), poolOptions);
 * metrics.bindTo(client);
 * }</pre>
 *
 * <table>
 * <caption>Meters (tag values are the enum constants in lower case)</caption>
 * <tr><th>Name</th><th>Type</th><th>Tags</th><th>What</th></tr>
 * <tr><td>{@value #MESSAGES}</td><td>counter</td><td>outcome: delivered, partially_delivered, rejected, failed,
 *   unknown</td><td>sends completed</td></tr>
 * <tr><td>{@value #SEND_LATENCY}</td><td>timer</td><td>outcome</td><td>from a send's acceptance to its outcome</td></tr>
 * <tr><td>{@value #DEFERRALS}</td><td>counter</td><td>kind: connection_limit, rate_limit, session_message_limit,
 *   ...</td><td>messages deferred by throttling, once per deferral</td></tr>
 * <tr><td>{@value #THROTTLE_EVENTS}</td><td>counter</td><td>kind</td><td>throttling replies from the relay</td></tr>
 * <tr><td>{@value #SESSIONS_OPENED}</td><td>counter</td><td></td><td>sessions opened</td></tr>
 * <tr><td>{@value #SESSIONS_CLOSED}</td><td>counter</td><td>reason: idle_timeout, lifetime, message_limit, failed,
 *   server_closed, client_closed</td><td>sessions closed</td></tr>
 * <tr><td>{@value #SESSIONS_FAILED}</td><td>counter</td><td>phase, reason</td><td>sessions that could not be
 *   opened</td></tr>
 * <tr><td>{@value #POOL_ACTIVE}, {@value #POOL_IDLE}, {@value #POOL_WAITING}</td><td>gauge</td><td></td><td>sessions
 *   carrying a message, sessions idle, sends waiting for a session ({@link SmtpClient#poolStats()})</td></tr>
 * <tr><td>{@value #RATE_LIMIT}, {@value #SESSION_LIMIT}, {@value #DEFERRED}</td><td>gauge</td><td></td><td>messages
 *   per second the client allows itself (0: no limit), sessions it may open, messages deferred now
 *   ({@link SmtpClient#progress()})</td></tr>
 * </table>
 *
 * <p>Every meter carries the tags given at construction too. Counters and timers are registered up front, so that a
 * scrape shows zeros rather than nothing; the meters of one event are looked up once, not per event. Several
 * clients may share one instance: their counts add up. To tell clients apart, give each an instance of its own with
 * a distinguishing tag (e.g. {@code Tags.of("relay", "eu")}): gauges with the same name and tags are registered only
 * once by Micrometer, for the first client bound.
 *
 * <p>Safe to call from any thread, as {@link SmtpMetrics} requires.
 */
public final class MicrometerSmtpMetrics implements SmtpMetrics {

  public static final String MESSAGES = "migo.smtp.messages";
  public static final String SEND_LATENCY = "migo.smtp.send.latency";
  public static final String DEFERRALS = "migo.smtp.deferrals";
  public static final String THROTTLE_EVENTS = "migo.smtp.throttle.events";
  public static final String SESSIONS_OPENED = "migo.smtp.sessions.opened";
  public static final String SESSIONS_CLOSED = "migo.smtp.sessions.closed";
  public static final String SESSIONS_FAILED = "migo.smtp.sessions.failed";
  public static final String POOL_ACTIVE = "migo.smtp.pool.active";
  public static final String POOL_IDLE = "migo.smtp.pool.idle";
  public static final String POOL_WAITING = "migo.smtp.pool.waiting";
  public static final String RATE_LIMIT = "migo.smtp.rate.limit";
  public static final String SESSION_LIMIT = "migo.smtp.session.limit";
  public static final String DEFERRED = "migo.smtp.deferred";

  private final MeterRegistry registry;
  private final Tags tags;
  /** By {@link Status#ordinal()}; null for {@link Status#SKIPPED}, which a send never ends with. */
  private final Counter[] messages = new Counter[Status.values().length];
  private final Timer[] latencies = new Timer[Status.values().length];
  private final Counter[] deferrals = new Counter[Kind.values().length];
  private final Counter[] throttleEvents = new Counter[Kind.values().length];
  private final Counter[] closed = new Counter[CloseReason.values().length];
  private final Counter opened;

  /** Meters on {@code registry}, with no tags of their own. */
  public MicrometerSmtpMetrics(MeterRegistry registry) {
    this(registry, Tags.empty());
  }

  /** Meters on {@code registry}, each also tagged with {@code tags}. */
  public MicrometerSmtpMetrics(MeterRegistry registry, Iterable<Tag> tags) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    for (Status status : Status.values()) {
      if (status == Status.SKIPPED) {
        continue;
      }
      Tags outcome = this.tags.and("outcome", tagValue(status));
      messages[status.ordinal()] = Counter.builder(MESSAGES).tags(outcome)
        .description("Sends completed, by outcome").register(registry);
      latencies[status.ordinal()] = Timer.builder(SEND_LATENCY).tags(outcome)
        .description("From a send's acceptance by the client to its outcome, pacing, deferrals and retries included")
        .register(registry);
    }
    for (Kind kind : Kind.values()) {
      Tags kindTag = this.tags.and("kind", tagValue(kind));
      deferrals[kind.ordinal()] = Counter.builder(DEFERRALS).tags(kindTag)
        .description("Messages deferred by a throttling reply, once per deferral").register(registry);
      throttleEvents[kind.ordinal()] = Counter.builder(THROTTLE_EVENTS).tags(kindTag)
        .description("Throttling replies: times the relay asked the client to slow down").register(registry);
    }
    for (CloseReason reason : CloseReason.values()) {
      closed[reason.ordinal()] = Counter.builder(SESSIONS_CLOSED).tags(this.tags.and("reason", tagValue(reason)))
        .description("Sessions closed, by reason").register(registry);
    }
    opened = Counter.builder(SESSIONS_OPENED).tags(this.tags).description("Sessions opened").register(registry);
  }

  /**
   * Registers the gauges of {@code client}: its pool ({@link SmtpClient#poolStats()}) and its pacing
   * ({@link SmtpClient#progress()}), read when the registry is scraped. The gauges hold the client weakly, so they
   * never keep a client alive; once it has been collected they read NaN.
   *
   * @return this
   */
  public MicrometerSmtpMetrics bindTo(SmtpClient client) {
    Objects.requireNonNull(client, "client");
    gauge(POOL_ACTIVE, client, c -> c.poolStats().active(), "Sessions carrying a message");
    gauge(POOL_IDLE, client, c -> c.poolStats().idle(), "Open sessions waiting for a message");
    gauge(POOL_WAITING, client, c -> c.poolStats().waiting(), "Sends waiting for a session");
    gauge(RATE_LIMIT, client, c -> c.progress().rateLimit(),
      "Messages per second the client allows itself now, 0 for no limit");
    gauge(SESSION_LIMIT, client, c -> c.progress().sessionLimit(), "Sessions the client may open now");
    gauge(DEFERRED, client, c -> c.progress().deferred(), "Messages deferred by throttling and not yet completed");
    return this;
  }

  private void gauge(String name, SmtpClient client, ToDoubleFunction<SmtpClient> value, String description) {
    Gauge.builder(name, client, value).tags(tags).description(description).register(registry);
  }

  @Override
  public void messageCompleted(Status status, long latencyNanos) {
    Counter counter = messages[status.ordinal()];
    if (counter != null) {
      counter.increment();
      latencies[status.ordinal()].record(latencyNanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void deferred(Kind kind) {
    deferrals[kind.ordinal()].increment();
  }

  @Override
  public void throttled(Kind kind) {
    throttleEvents[kind.ordinal()].increment();
  }

  @Override
  public void sessionOpened() {
    opened.increment();
  }

  @Override
  public void sessionClosed(CloseReason reason) {
    closed[reason.ordinal()].increment();
  }

  /** Rare (at most once per session opening), so its meter is looked up each time rather than made for every pair. */
  @Override
  public void sessionFailed(SmtpPhase phase, Reason reason) {
    Counter.builder(SESSIONS_FAILED).tags(tags.and("phase", tagValue(phase), "reason", tagValue(reason)))
      .description("Sessions that could not be opened, by phase and reason").register(registry).increment();
  }

  /** The tags this instance adds to every meter. */
  public Tags tags() {
    return tags;
  }

  private static String tagValue(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
