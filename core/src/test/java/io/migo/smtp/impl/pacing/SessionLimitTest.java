package io.migo.smtp.impl.pacing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SessionLimitTest {

  @Test
  void aRefusalSetsTheLimitToTheSessionsTheRelayHolds() {
    SessionLimit limit = new SessionLimit(16);

    assertThat(limit.refused(3)).isTrue();
    assertThat(limit.current()).isEqualTo(3);
    assertThat(limit.refused(3)).as("sessions refused side by side lower it once").isFalse();
    assertThat(limit.current()).isEqualTo(3);
  }

  @Test
  void withNoSessionOpenTheLimitIsOne() {
    SessionLimit limit = new SessionLimit(4);

    limit.refused(0);

    assertThat(limit.current()).isEqualTo(1);
  }

  @Test
  void eachRefusedProbeDoublesTheMessagesBeforeTheNext() {
    SessionLimit limit = new SessionLimit(16);
    limit.refused(3);

    assertThat(acceptedUntilGrowth(limit)).isEqualTo(SessionLimit.FIRST_COST);
    assertThat(limit.current()).isEqualTo(4);
    limit.refused(3);
    assertThat(acceptedUntilGrowth(limit)).isEqualTo(2 * SessionLimit.FIRST_COST);
    limit.refused(3);
    assertThat(acceptedUntilGrowth(limit)).isEqualTo(4 * SessionLimit.FIRST_COST);
  }

  @Test
  void aProbeTheRelayTakesLetsTheLimitGrowOnToTheMaximum() {
    SessionLimit limit = new SessionLimit(5);
    limit.refused(2);

    acceptedUntilGrowth(limit);
    acceptedUntilGrowth(limit);
    acceptedUntilGrowth(limit);

    assertThat(limit.current()).isEqualTo(5);
    assertThat(limit.isBelowMax()).isFalse();
    assertThat(limit.accepted()).isFalse();
  }

  @Test
  void theCostIsBounded() {
    SessionLimit limit = new SessionLimit(2);
    for (int i = 0; i < 30; i++) {
      limit.refused(1);
      acceptedUntilGrowth(limit);
    }
    limit.refused(1);

    assertThat(acceptedUntilGrowth(limit)).isEqualTo(SessionLimit.MAX_COST);
  }

  private static int acceptedUntilGrowth(SessionLimit limit) {
    int accepted = 1;
    while (!limit.accepted()) {
      accepted++;
    }
    return accepted;
  }
}
