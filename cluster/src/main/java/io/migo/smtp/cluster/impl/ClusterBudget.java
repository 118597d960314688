package io.migo.smtp.cluster.impl;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The cluster's one budget: how the sessions are split among live workers (their windows), and the rate the
 * producer lets messages go at, lowered when any worker meets a throttling reply and grown back after. Pure
 * arithmetic, confined to the producer's context.
 */
final class ClusterBudget {

  /** The least rate after throttling: one message every ten seconds, as core's Pacer. */
  static final double MIN_RATE = 0.1;
  /** A throttling reply cuts the rate to this share of what the cluster was achieving. */
  static final double CUT = 0.7;
  /** After {@link #CALM_NANOS} without throttling, each step grows the rate by this share of itself. */
  static final double GROWTH = 0.1;
  static final long CALM_NANOS = 5_000_000_000L;

  private final double maxRate;
  private final int maxSessions;
  /** The rate allowed now; 0 for no limit. */
  private double rate;
  private long lastThrottleNanos;

  ClusterBudget(double maxRate, int maxSessions) {
    this.maxRate = maxRate;
    this.maxSessions = maxSessions;
    this.rate = maxRate;
  }

  /**
   * Splits the sessions among the workers, in node-id order so that every producer splits alike: each gets
   * {@code maxSessions / n}, the first {@code maxSessions % n} one more; a worker that is leaving gets nothing.
   */
  void split(Collection<WorkerSlot> workers) {
    workers.forEach(w -> w.window = 0);
    List<WorkerSlot> sorted = workers.stream().filter(w -> !w.leaving)
      .sorted(Comparator.comparing(w -> w.nodeId)).toList();
    int n = sorted.size();
    for (int i = 0; i < n; i++) {
      sorted.get(i).window = maxSessions / n + (i < maxSessions % n ? 1 : 0);
    }
  }

  /** A worker met a throttling reply: the whole cluster slows to a share of the rate it was achieving. */
  void throttled(double achievedRate, long now) {
    double base = rate > 0 ? Math.min(rate, achievedRate > 0 ? achievedRate : rate) : achievedRate;
    rate = Math.max(MIN_RATE, (base > 0 ? base : 1) * CUT);
    lastThrottleNanos = now;
  }

  /**
   * Grows a lowered rate back once the relay has been calm for a while; returns whether the rate changed. Without a
   * configured maximum the limit is lifted once it is well above what the cluster achieves.
   */
  boolean recover(double achievedRate, long now) {
    if (!isLowered() || now - lastThrottleNanos < CALM_NANOS) {
      return false;
    }
    rate = rate * (1 + GROWTH);
    if (maxRate > 0 && rate >= maxRate) {
      rate = maxRate;
    } else if (maxRate == 0 && achievedRate > 0 && rate > 4 * achievedRate) {
      rate = 0;
    }
    return true;
  }

  boolean isLowered() {
    return maxRate > 0 ? rate < maxRate : rate > 0;
  }

  double rate() {
    return rate;
  }

  int maxSessions() {
    return maxSessions;
  }
}
