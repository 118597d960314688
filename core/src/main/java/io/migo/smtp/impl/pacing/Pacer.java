package io.migo.smtp.impl.pacing;

import io.migo.smtp.SmtpMetrics;
import io.migo.smtp.ThrottlingRules.Kind;

import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The client's sending rate, shared by all its sessions: the configured maximum (if any), lowered after a relay's
 * {@linkplain Kind#RATE_LIMIT rate-limit reply} and grown back while the relay accepts; and the count of throttling
 * replies and of messages deferred, for {@link io.migo.smtp.SmtpClient#progress()}.
 *
 * <p>Without a maximum rate and before any rate-limit reply, {@link #delayNanos()} and {@link #accepted()} are a field
 * test each: no clock read, no allocation, no timer per message. Confined to the client's context; the counters are
 * published through volatile fields for any thread to read.
 */
public final class Pacer {

  /** A refusal halves the rate. */
  static final double DECREASE_FACTOR = 0.5;
  /** Refusals within this long after a decrease are the same limit reached by several sessions at once. */
  static final long HOLD_NANOS = 1_000_000_000L;
  /** The least rate a decrease leaves: one message every ten seconds. */
  static final double MIN_RATE = 0.1;
  /** After a decrease, the rate grows back by this share of itself per second of accepted messages. */
  static final double GROWTH_PER_SECOND = 0.1;

  private final double maxRate;
  private final LongSupplier clock;
  private final DoubleSupplier observedRate;
  private final RateLimiter limiter;
  private final SmtpMetrics metrics;
  /** Null until the first rate-limit reply when no maximum rate was set. */
  private Aimd rate;
  /** Messages per second regained per second of acceptance, set at each decrease (the additive step). */
  private double step;
  /** The failure last counted: one reply shared by several waiting messages is one throttle event. */
  private Object lastCounted;
  private volatile double currentRate;
  private volatile long throttleEvents;
  private volatile long deferred;

  /**
   * @param maxRate      messages per second, 0 for no maximum
   * @param observedRate the rate the client achieves now, where a rate-limit reply finds a client without a maximum
   */
  public Pacer(double maxRate, LongSupplier clock, DoubleSupplier observedRate) {
    this(maxRate, clock, observedRate, SmtpMetrics.NONE);
  }

  /** @param metrics told of each throttle event, as it is counted */
  public Pacer(double maxRate, LongSupplier clock, DoubleSupplier observedRate, SmtpMetrics metrics) {
    this.maxRate = maxRate;
    this.metrics = metrics;
    this.clock = clock;
    this.observedRate = observedRate;
    this.limiter = new RateLimiter(maxRate, clock);
    this.currentRate = maxRate;
    if (maxRate > 0) {
      rate = new Aimd(maxRate, Math.min(MIN_RATE, maxRate), maxRate, DECREASE_FACTOR, HOLD_NANOS, clock);
    }
  }

  /** Reserves the next message's slot: nanoseconds to wait before it may go, 0 to go now. */
  public long delayNanos() {
    return limiter.reserve();
  }

  /**
   * The relay asked the client to slow down with {@code failure}, of {@code kind}: counted once per reply, and a
   * rate-limit reply lowers the rate.
   */
  public void throttled(Object failure, Kind kind) {
    if (failure == lastCounted) {
      return;
    }
    lastCounted = failure;
    throttleEvents++;
    metrics.throttled(kind);
    if (kind == Kind.RATE_LIMIT) {
      lowerRate();
    }
  }

  private void lowerRate() {
    if (rate == null) {
      rate = new Aimd(Double.POSITIVE_INFINITY, MIN_RATE, Double.POSITIVE_INFINITY, DECREASE_FACTOR, HOLD_NANOS, clock);
    }
    double observed = observedRate.getAsDouble();
    // A client refused before it had a rate to speak of starts again from one message a second.
    if (rate.decrease(observed > 0 ? observed : 1.0)) {
      step = Math.max(MIN_RATE, rate.value() * GROWTH_PER_SECOND);
      applyRate();
    }
  }

  /** A message was accepted: the rate grows back, by {@link #step} per second's worth of messages. */
  public void accepted() {
    Aimd r = rate;
    if (r != null && step > 0 && r.isBelowCeiling()) {
      r.increase(step / r.value());
      applyRate();
    }
  }

  private void applyRate() {
    limiter.setRate(rate.value());
    currentRate = Double.isInfinite(rate.value()) ? 0 : rate.value();
  }

  /** A message was deferred for the first time. */
  public void deferralStarted() {
    deferred++;
  }

  /** A deferred message completed, whatever its outcome. */
  public void deferralEnded() {
    deferred--;
  }

  /** Messages per second the client allows itself now; 0 for no limit. Any thread. */
  public double currentRate() {
    return currentRate;
  }

  /** Throttling replies so far. Any thread. */
  public long throttleEvents() {
    return throttleEvents;
  }

  /** Messages deferred by throttling and not yet completed. Any thread. */
  public long deferred() {
    return deferred;
  }

  /** The maximum rate configured, 0 for none. */
  public double maxRate() {
    return maxRate;
  }
}
