package io.migo.smtp.testkit;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Heap measurements for soak tests that must not depend on GC timing: a single reading after {@code System.gc()}
 * can include garbage the collector has not got to yet (a concurrent cycle still running, a region not yet
 * reclaimed), so each measurement takes the minimum of a few readings, each after several collection rounds.
 */
public final class Heap {

  private static final int SAMPLES = 5;
  private static final int GC_ROUNDS = 3;

  private Heap() {
  }

  /** Used heap in bytes with the garbage collected: the least of {@value #SAMPLES} readings. */
  public static long settledUsed() {
    long least = Long.MAX_VALUE;
    for (int sample = 0; sample < SAMPLES; sample++) {
      for (int round = 0; round < GC_ROUNDS; round++) {
        System.gc();
      }
      least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return least;
  }

  /**
   * Asserts that the heap did not grow with the messages sent between two measurements. The tolerance is relative
   * and generous, so that GC noise, a pooled buffer chunk or a JIT-compiled class never fail it: half the earlier
   * heap plus 4 MiB. It still catches a leak that grows with the message count: keeping as little as 100 bytes per
   * message (one map entry, a listener, the message itself) adds 15 MB over 150,000 messages, above the tolerance
   * for any earlier heap under 22 MB — and a soak's heap after GC is about 14 MB.
   */
  public static void assertNoGrowth(long before, long after, long messagesBetween) {
    long tolerance = before / 2 + 4L * 1024 * 1024;
    assertThat(after - before)
      .as("heap growth after GC over %d messages, bytes (from %d KiB to %d KiB)", messagesBetween, before / 1024,
        after / 1024)
      .isLessThan(tolerance);
  }
}
