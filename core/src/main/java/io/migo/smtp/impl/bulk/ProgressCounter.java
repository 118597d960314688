package io.migo.smtp.impl.bulk;

import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SendProgress;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts sends and their outcomes for {@link io.migo.smtp.SmtpClient#progress()}. On the hot path: one increment per
 * submission and per completion, no allocation. Readable from any thread; the rate comes from per-second buckets
 * over the last {@value #WINDOW_SECONDS} seconds.
 */
public final class ProgressCounter {

  static final int WINDOW_SECONDS = 5;
  /** A power of two above the window, so a bucket is never reused while it is still inside the window. */
  private static final int BUCKETS = 8;

  private final LongAdder submitted = new LongAdder();
  private final LongAdder[] byStatus = new LongAdder[Status.values().length];
  private final AtomicLongArray bucketSecond = new AtomicLongArray(BUCKETS);
  private final AtomicLongArray bucketCount = new AtomicLongArray(BUCKETS);
  private final long startNanos;
  private final Clock clock;

  /** A source of monotonic nanoseconds, replaceable in tests. */
  public interface Clock {
    long nanoTime();
  }

  public ProgressCounter() {
    this(System::nanoTime);
  }

  public ProgressCounter(Clock clock) {
    this.clock = clock;
    this.startNanos = clock.nanoTime();
    for (int i = 0; i < byStatus.length; i++) {
      byStatus[i] = new LongAdder();
    }
    for (int i = 0; i < BUCKETS; i++) {
      bucketSecond.set(i, Long.MIN_VALUE);
    }
  }

  public void submitted() {
    submitted.increment();
  }

  public void completed(Status status) {
    byStatus[status.ordinal()].increment();
    long second = secondOf(clock.nanoTime());
    int i = (int) (second & (BUCKETS - 1));
    long seen = bucketSecond.get(i);
    if (seen != second && bucketSecond.compareAndSet(i, seen, second)) {
      // A stale bucket from BUCKETS seconds ago: start it over. Completions normally all run on the client's
      // context; an early failure on a caller's thread racing this reset can at worst lose one count of the rate.
      bucketCount.set(i, 0);
    }
    bucketCount.incrementAndGet(i);
  }

  public SendProgress snapshot() {
    return snapshot(0, 0, 0, 0);
  }

  /** The counts, with the client's pacing as it stands (see {@link SendProgress}). */
  public SendProgress snapshot(double rateLimit, int sessionLimit, long deferred, long throttleEvents) {
    long delivered = byStatus[Status.DELIVERED.ordinal()].sum();
    long partial = byStatus[Status.PARTIALLY_DELIVERED.ordinal()].sum();
    long rejected = byStatus[Status.REJECTED.ordinal()].sum();
    long failed = byStatus[Status.FAILED.ordinal()].sum();
    long unknown = byStatus[Status.UNKNOWN.ordinal()].sum();
    long sub = submitted.sum();
    long inFlight = Math.max(0, sub - (delivered + partial + rejected + failed + unknown));
    return new SendProgress(sub, delivered, partial, rejected, failed, unknown, inFlight, rate(), rateLimit,
      sessionLimit, deferred, throttleEvents);
  }

  /** Completions per second over the last few seconds. */
  public double rate() {
    long now = clock.nanoTime();
    long second = secondOf(now);
    long oldest = second - (WINDOW_SECONDS - 1);
    long count = 0;
    for (int i = 0; i < BUCKETS; i++) {
      long s = bucketSecond.get(i);
      if (s >= oldest && s <= second) {
        count += bucketCount.get(i);
      }
    }
    // The window is the last WINDOW_SECONDS - 1 whole seconds plus the current partial one, but never reaches back
    // before the client existed: a young client's rate is not diluted by time it did not live.
    long windowStart = Math.max(startNanos, oldest * 1_000_000_000L + startNanos);
    double seconds = Math.max((now - windowStart) / 1e9, 0.001);
    return count / seconds;
  }

  /** Seconds since this counter was created: bucket numbers relative to the start avoid nanoTime's arbitrary origin. */
  private long secondOf(long nanos) {
    return (nanos - startNanos) / 1_000_000_000L;
  }
}
