package io.migo.smtp.testkit;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Blocks a test thread (never an event loop) on a future, with a bound so that a hung test fails instead of hanging.
 * No bound here is a speed requirement: a slow or busy machine must pass. A single operation gets {@link #LIMIT},
 * far more than anything we wait for needs; a long run is bounded by its progress ({@link #untilDone}), never by a
 * deadline that assumes a throughput.
 */
public final class Await {

  /** A single operation (a send, a close, a server start, a delivery) pending this long is hung, not slow. */
  public static final Duration LIMIT = Duration.ofSeconds(60);
  /** A long run whose progress counter has not moved for this long is hung. */
  public static final Duration STALL_LIMIT = Duration.ofSeconds(60);
  /** The last resort for a long run that keeps moving but never ends (a livelock, a retry loop). */
  public static final Duration OUTER_LIMIT = Duration.ofMinutes(30);

  private Await() {
  }

  public static <T> T result(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success but failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("no result within " + LIMIT.toSeconds() + " s", e);
    }
  }

  /** The failure of a future that must fail. */
  public static Throwable failure(Future<?> future) {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure but got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("no result within " + LIMIT.toSeconds() + " s", e);
    }
  }

  /** {@link #untilDone(Future, String, LongSupplier, Duration, Duration)} with the default limits. */
  public static <T> T untilDone(Future<T> future, String what, LongSupplier progress) {
    return untilDone(future, what, progress, STALL_LIMIT, OUTER_LIMIT);
  }

  /**
   * The result of a long run (a soak, a bulk send), bounded by the work it does rather than by the clock: it fails
   * only when {@code progress} (e.g. messages settled so far) has not moved for {@code stallLimit}, or when
   * {@code outerLimit} has passed, and then says how far the run got. A machine five times slower simply takes five
   * times longer.
   *
   * @param what names the run and its counter in a failure, e.g. "soak, messages settled"
   */
  public static <T> T untilDone(Future<T> future, String what, LongSupplier progress, Duration stallLimit,
      Duration outerLimit) {
    CompletableFuture<T> result = future.toCompletionStage().toCompletableFuture();
    long poll = Math.max(1, Math.min(1_000, stallLimit.toMillis() / 4));
    long started = System.nanoTime();
    long seen = progress.getAsLong();
    long lastMove = started;
    while (true) {
      try {
        return result.get(poll, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw new AssertionError(what + ": expected success but failed at " + progress.getAsLong() + ": "
          + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(what + ": interrupted at " + progress.getAsLong(), e);
      } catch (TimeoutException e) {
        // Read the counter before judging the stall: a pause of this thread alone is not a stall of the run.
        long now = System.nanoTime();
        long current = progress.getAsLong();
        if (current != seen) {
          seen = current;
          lastMove = now;
        } else if (now - lastMove > stallLimit.toNanos()) {
          throw new AssertionError(String.format("%s: no progress for %d ms, stuck at %d after %.1f s", what,
            stallLimit.toMillis(), current, (now - started) / 1e9));
        }
        if (now - started > outerLimit.toNanos()) {
          throw new AssertionError(String.format("%s: still running after the outer limit of %d s, at %d", what,
            outerLimit.toSeconds(), current));
        }
      }
    }
  }

  /**
   * Waits for {@code condition} of a long run in another process (a CLI job), bounded by the work it does like
   * {@link #untilDone(Future, String, LongSupplier, Duration, Duration)}: fails only when {@code progress} has not
   * moved for {@link #STALL_LIMIT}, or after {@link #OUTER_LIMIT}.
   */
  public static void untilTrue(BooleanSupplier condition, String what, LongSupplier progress) {
    long started = System.nanoTime();
    long seen = progress.getAsLong();
    long lastMove = started;
    while (!condition.getAsBoolean()) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      long now = System.nanoTime();
      long current = progress.getAsLong();
      if (current != seen) {
        seen = current;
        lastMove = now;
      } else if (now - lastMove > STALL_LIMIT.toNanos()) {
        throw new AssertionError(String.format("%s: no progress for %d s, stuck at %d after %.1f s", what,
          STALL_LIMIT.toSeconds(), current, (now - started) / 1e9));
      }
      if (now - started > OUTER_LIMIT.toNanos()) {
        throw new AssertionError(String.format("%s: still running after the outer limit of %d s, at %d", what,
          OUTER_LIMIT.toSeconds(), current));
      }
    }
  }

  /**
   * Waits for a condition the code under test reaches on its own (a socket closed, an idle timer fired), polling
   * without hogging a core the event loops need, up to {@link #LIMIT}.
   */
  public static void until(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + LIMIT.toSeconds() + " s: " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }
}
