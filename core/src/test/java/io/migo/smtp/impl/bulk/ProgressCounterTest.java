package io.migo.smtp.impl.bulk;

import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SendProgress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ProgressCounterTest {

  private static final long SECOND = 1_000_000_000L;
  private long now = 42 * SECOND;
  private final ProgressCounter counter = new ProgressCounter(() -> now);

  @Test
  void countsEachOutcomeAndWhatIsStillInFlight() {
    for (int i = 0; i < 6; i++) {
      counter.submitted();
    }
    counter.completed(Status.DELIVERED);
    counter.completed(Status.DELIVERED);
    counter.completed(Status.PARTIALLY_DELIVERED);
    counter.completed(Status.REJECTED);
    counter.completed(Status.UNKNOWN);

    SendProgress p = counter.snapshot();
    assertThat(p.submitted()).isEqualTo(6);
    assertThat(p.delivered()).isEqualTo(2);
    assertThat(p.partiallyDelivered()).isEqualTo(1);
    assertThat(p.rejected()).isEqualTo(1);
    assertThat(p.failed()).isZero();
    assertThat(p.unknown()).isEqualTo(1);
    assertThat(p.completed()).isEqualTo(5);
    assertThat(p.inFlight()).isEqualTo(1);
  }

  @Test
  void theRateCoversOnlyTheRecentWindow() {
    // 100 per second for 10 seconds.
    for (int s = 0; s < 10; s++) {
      for (int i = 0; i < 100; i++) {
        counter.completed(Status.DELIVERED);
      }
      now += SECOND;
    }
    assertThat(counter.snapshot().ratePerSecond()).isCloseTo(100, within(25.0));

    // Then silence: the old seconds drop out of the window.
    now += 10 * SECOND;
    assertThat(counter.snapshot().ratePerSecond()).isZero();
  }

  @Test
  void aYoungClientsRateIsNotDilutedByTimeBeforeItExisted() {
    now += SECOND / 2;
    for (int i = 0; i < 50; i++) {
      counter.completed(Status.FAILED);
    }
    assertThat(counter.snapshot().ratePerSecond()).isCloseTo(100, within(1.0));
  }
}
