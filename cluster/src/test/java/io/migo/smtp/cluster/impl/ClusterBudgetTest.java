package io.migo.smtp.cluster.impl;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The split of the sessions among workers, and the cluster rate's cut and recovery after throttling. */
class ClusterBudgetTest {

  @Test
  void sessionsAreSplitEvenlyInNodeOrderAndNeverToALeavingWorker() {
    ClusterBudget budget = new ClusterBudget(0, 7);
    WorkerSlot c = new WorkerSlot("c", "c");
    WorkerSlot a = new WorkerSlot("a", "a");
    WorkerSlot b = new WorkerSlot("b", "b");
    budget.split(List.of(c, a, b));
    assertThat(List.of(a.window, b.window, c.window)).containsExactly(3, 2, 2);

    b.leaving = true;
    budget.split(List.of(c, a, b));
    assertThat(List.of(a.window, b.window, c.window)).containsExactly(4, 0, 3);
  }

  @Test
  void throttlingCutsTheRateBelowWhatWasAchievedAndCalmGrowsItBackToTheMaximum() {
    ClusterBudget budget = new ClusterBudget(100, 4);
    budget.throttled(50, 0);
    assertThat(budget.rate()).isCloseTo(35.0, within(1e-9));
    assertThat(budget.isLowered()).isTrue();

    assertThat(budget.recover(35, ClusterBudget.CALM_NANOS - 1)).as("not calm long enough").isFalse();
    long now = ClusterBudget.CALM_NANOS;
    while (budget.recover(35, now)) {
      now += 1_000_000_000L;
    }
    assertThat(budget.rate()).isEqualTo(100.0);
    assertThat(budget.isLowered()).isFalse();
  }

  @Test
  void withoutAMaximumTheLimitIsLiftedOnceWellAboveWhatTheClusterAchieves() {
    ClusterBudget budget = new ClusterBudget(0, 4);
    assertThat(budget.rate()).isZero();
    budget.throttled(20, 0);
    assertThat(budget.rate()).isCloseTo(14.0, within(1e-9));
    long now = ClusterBudget.CALM_NANOS;
    while (budget.recover(20, now)) {
      now += 1_000_000_000L;
    }
    assertThat(budget.rate()).isZero();
  }

  @Test
  void theRateNeverFallsBelowTheLeast() {
    ClusterBudget budget = new ClusterBudget(1, 1);
    for (int i = 0; i < 50; i++) {
      budget.throttled(0.01, i);
    }
    assertThat(budget.rate()).isEqualTo(ClusterBudget.MIN_RATE);
  }
}
