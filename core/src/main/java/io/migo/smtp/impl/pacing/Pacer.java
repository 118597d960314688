package io.migo.smtp.impl.pacing;

import io.migo.smtp.SmtpMetrics;
import io.migo.smtp.ThrottlingRules.Kind;

import java.util.function.LongSupplier;

/**
 * The client's sending rate, shared by all its sessions: the configured maximum (if any), lowered after a relay's
 * {@linkplain Kind#RATE_LIMIT rate-limit reply} and grown back while the relay accepts; and the count of throttling
 * replies and of messages deferred, for {@link io.migo.smtp.SmtpClient#progress()}.
 *
 * <p>Relays count an account's messages per time unit (Postfix's anvil: a fixed window of
 * {@code anvil_rate_time_unit}; others a token bucket). Once a window's allowance is spent every message is refused
 * until the window ends, however slowly it is sent — so a refusal is not answered by sending a little slower (each
 * further refusal would halve the rate again, down to nothing) but by stopping: the pacer is <em>blocked</em> and
 * lets one probe go now and then ({@link #FIRST_PROBE_NANOS}, doubling while the relay refuses probes, up to
 * {@link #MAX_PROBE_NANOS}). The first message the relay accepts ends the block, and the rate becomes what the
 * relay took over the whole cycle, block included — its allowance per window divided by the window, whatever the
 * window is — or {@link #DECREASE_FACTOR} of the rate it was refused at, whichever is lower: the multiplicative
 * decrease. The rate then grows back by {@link #GROWTH_PER_SECOND} of itself per
 * second of accepted messages (the additive increase), so that a relay whose limit was never reached, or has risen,
 * is found again; a rate slightly above the allowance costs one refusal near the end of a window.
 *
 * <p>Refusals come in bursts (every message in flight meets the same spent window): only a refusal of a message
 * admitted in the current {@link #epoch()} counts; the epoch changes with each block and unblock, so messages sent
 * before a block, and probes answered after it ended, change nothing.
 *
 * <p>Without a maximum rate and before any rate-limit reply, {@link #delayNanos()} is a field test and
 * {@link #accepted()} one clock read: no allocation, no timer per message. Confined to the client's context; the counters
 * are published through volatile fields for any thread to read. The clock is injected so that tests never sleep.
 */
public final class Pacer {

  /** The first probe of a block goes this long after the refusal. */
  static final long FIRST_PROBE_NANOS = 200_000_000L;
  /**
   * Each probe the relay refuses makes the next one wait this much longer. Slowly: a block at a learned rate comes
   * near the end of the relay's window, so the window is about to end, and each doubling would overshoot it by
   * half the wait (a quarter of the relay's capacity lost per cycle, measured, at 2); a long block still ends
   * up {@link #MAX_PROBE_NANOS} apart after a dozen probes.
   */
  static final double PROBE_BACKOFF = 1.25;
  /** The longest wait between two probes. */
  static final long MAX_PROBE_NANOS = 5_000_000_000L;
  /** How often a message that is not the probe looks again while the pacer is blocked. */
  static final long RECHECK_NANOS = 50_000_000L;
  /** After a block, the rate grows back by this share of itself per second of accepted messages. */
  static final double GROWTH_PER_SECOND = 0.02;
  /**
   * A pause in acceptance longer than this (and than a few of the rate's intervals) starts a new cycle: a client idle
   * for an hour has no rate of the hour to learn from.
   */
  static final long IDLE_GAP_NANOS = 1_000_000_000L;
  /** The rate after a cycle in which the relay accepted nothing at all. */
  static final double RATE_AFTER_EMPTY_CYCLE = 1.0;
  /** A refusal at a learned rate lowers it at least to this share of itself. */
  static final double DECREASE_FACTOR = 0.9;
  /** The least rate: one message every ten seconds. */
  static final double MIN_RATE = 0.1;

  private final double maxRate;
  private final LongSupplier clock;
  private final RateLimiter limiter;
  private final SmtpMetrics metrics;

  /** Whether a rate-limit reply has been seen: until then only the maximum rate (if any) applies. */
  private boolean learning;
  private boolean blocked;
  private long epoch;
  /** While blocked: when the next probe may go. */
  private long nextProbeNanos;
  private long probeIntervalNanos;
  /** The messages per second allowed now; infinite for no limit. */
  private double rate;
  /** The cycle (from the end of the last block, or the first message) whose acceptance sets the rate. */
  private long cycleStartNanos;
  private long cycleAccepted;
  private long lastAcceptedNanos;
  /** The failure last counted: one reply shared by several waiting messages is one throttle event. */
  private Object lastCounted;
  private volatile double currentRate;
  private volatile long throttleEvents;
  private volatile long deferred;

  /** @param maxRate messages per second, 0 for no maximum */
  public Pacer(double maxRate, LongSupplier clock) {
    this(maxRate, clock, SmtpMetrics.NONE);
  }

  /** @param metrics told of each throttle event, as it is counted */
  public Pacer(double maxRate, LongSupplier clock, SmtpMetrics metrics) {
    this.maxRate = maxRate;
    this.metrics = metrics;
    this.clock = clock;
    this.limiter = new RateLimiter(maxRate, clock);
    this.rate = maxRate > 0 ? maxRate : Double.POSITIVE_INFINITY;
    this.currentRate = maxRate;
  }

  /**
   * When the next message may go. Zero or more: its slot is reserved, it goes after that many nanoseconds (zero: now).
   * Negative: the pacer is blocked and nothing was reserved; ask again after {@code -delay} nanoseconds.
   */
  public long delayNanos() {
    if (!blocked) {
      return limiter.reserve();
    }
    long now = clock.getAsLong();
    if (now - nextProbeNanos >= 0) {
      nextProbeNanos = now + probeIntervalNanos; // this message is the probe; if it goes unanswered, another then
      return 0;
    }
    return -Math.min(RECHECK_NANOS, nextProbeNanos - now);
  }

  /** The epoch a message is admitted in (read right after {@link #delayNanos()} let it go), for {@link #throttled}. */
  public long epoch() {
    return epoch;
  }

  /**
   * The relay asked the client to slow down with {@code failure}, of {@code kind}, for a message admitted in
   * {@code admittedEpoch}: counted once per reply, and a rate-limit reply to a message of the current epoch blocks
   * (or, to a probe, makes the next probe wait twice as long).
   */
  public void throttled(Object failure, Kind kind, long admittedEpoch) {
    if (failure == lastCounted) {
      return;
    }
    lastCounted = failure;
    throttleEvents++;
    metrics.throttled(kind);
    if (kind != Kind.RATE_LIMIT || admittedEpoch != epoch) {
      return;
    }
    long now = clock.getAsLong();
    learning = true;
    probeIntervalNanos = blocked
        ? Math.min(MAX_PROBE_NANOS, (long) (probeIntervalNanos * PROBE_BACKOFF))
        : FIRST_PROBE_NANOS;
    blocked = true;
    epoch++;
    nextProbeNanos = now + probeIntervalNanos;
  }

  /**
   * A message admitted in {@code admittedEpoch} was accepted: a probe ends a block, with the cycle's rate; otherwise
   * the cycle counts it and a lowered rate grows back. One clock read, no allocation.
   */
  public void accepted(long admittedEpoch) {
    long now = clock.getAsLong();
    if (blocked) {
      if (admittedEpoch == epoch) {
        unblock(now); // the probe: the relay takes messages again
      } else {
        cycleAccepted++; // sent before the block, and the relay still took it: part of the cycle, no news
      }
      return;
    }
    if (cycleAccepted == 0 || now - lastAcceptedNanos > idleGapNanos()) {
      cycleStartNanos = now;
      cycleAccepted = 0;
    }
    cycleAccepted++;
    lastAcceptedNanos = now;
    if (learning && rate < ceiling()) {
      // GROWTH_PER_SECOND of the rate per second, i.e. per `rate` messages.
      rate = Math.min(ceiling(), rate * (1 + GROWTH_PER_SECOND / Math.max(1, rate)));
      applyRate();
    }
  }

  private long idleGapNanos() {
    return Double.isInfinite(rate) ? IDLE_GAP_NANOS : Math.max(IDLE_GAP_NANOS, (long) (4e9 / rate));
  }

  private void unblock(long now) {
    double seconds = Math.max(1e-3, (now - cycleStartNanos) / 1e9);
    double cycleRate = cycleAccepted > 0 ? cycleAccepted / seconds : RATE_AFTER_EMPTY_CYCLE;
    // What the relay took over the cycle is its allowance, whatever its window; the rate it was refused at says only
    // that it was too fast. Taking the higher of the two ratchets up against a fixed window (the rate grows through
    // each window, a tenth off it is still above the allowance, the refusal comes earlier every cycle and the probes
    // overshoot the window's end): measured against Postfix's anvil, 85 % of its limit instead of 9x %.
    double lowered = Double.isInfinite(rate) ? cycleRate : Math.min(cycleRate, rate * DECREASE_FACTOR);
    rate = Math.max(MIN_RATE, Math.min(ceiling(), Math.min(rate, lowered)));
    blocked = false;
    epoch++;
    cycleStartNanos = now;
    cycleAccepted = 1; // the probe
    lastAcceptedNanos = now;
    applyRate();
  }

  private double ceiling() {
    return maxRate > 0 ? maxRate : Double.POSITIVE_INFINITY;
  }

  private void applyRate() {
    limiter.setRate(rate);
    currentRate = Double.isInfinite(rate) ? 0 : rate;
  }

  /** Whether a rate-limit reply has stopped sending until a probe is accepted. */
  public boolean isBlocked() {
    return blocked;
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
