package io.migo.smtp.impl.pacing;

import io.migo.smtp.ThrottlingRules.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The rate limiter and AIMD on an injected clock: nothing sleeps, nothing depends on the machine's speed. */
class PacingTest {

  private long now = 1_000_000_000L;

  @Test
  void theRateLimiterSpacesMessagesEvenlyAndIdleTimeEarnsNoBurst() {
    RateLimiter limiter = new RateLimiter(10, () -> now);
    assertThat(limiter.reserve()).isZero();
    assertThat(limiter.reserve()).isEqualTo(100_000_000L);
    assertThat(limiter.reserve()).isEqualTo(200_000_000L);
    now += 10_000_000_000L; // idle for ten seconds
    assertThat(limiter.reserve()).isZero();
    assertThat(limiter.reserve()).as("no burst saved up while idle").isEqualTo(100_000_000L);
  }

  @Test
  void noRateMeansNoWait() {
    RateLimiter limiter = new RateLimiter(0, () -> {
      throw new AssertionError("the clock is not read without a rate");
    });
    assertThat(limiter.reserve()).isZero();
    assertThat(limiter.isLimited()).isFalse();
  }

  @Test
  void aimdHalvesOncePerBurstOfRefusalsAndGrowsBackToTheCeiling() {
    Aimd aimd = new Aimd(8, 1, 8, 0.5, 1_000_000_000L, () -> now);
    assertThat(aimd.decrease(8)).isTrue();
    assertThat(aimd.value()).isEqualTo(4);
    assertThat(aimd.decrease(8)).as("the same limit, reached by another session at once").isFalse();
    assertThat(aimd.value()).isEqualTo(4);
    now += 1_000_000_000L;
    assertThat(aimd.decrease(3)).as("from what was in use").isTrue();
    assertThat(aimd.value()).isEqualTo(1.5);
    now += 1_000_000_000L;
    aimd.decrease(1);
    assertThat(aimd.value()).as("never below the floor").isEqualTo(1);
    for (int i = 0; i < 100; i++) {
      aimd.increase(1);
    }
    assertThat(aimd.value()).as("never above the ceiling").isEqualTo(8);
    assertThat(aimd.isBelowCeiling()).isFalse();
  }

  @Test
  void aRateLimitReplyStartsFromTheObservedRateWhenNoMaximumWasSet() {
    Pacer pacer = new Pacer(0, () -> now, () -> 200.0);
    assertThat(pacer.delayNanos()).isZero();
    assertThat(pacer.currentRate()).isZero();
    Object refusal = new Object();
    pacer.throttled(refusal, Kind.RATE_LIMIT);
    pacer.throttled(refusal, Kind.RATE_LIMIT);
    assertThat(pacer.throttleEvents()).as("one reply, however many messages it reached").isEqualTo(1);
    assertThat(pacer.currentRate()).isEqualTo(100.0);
    assertThat(pacer.delayNanos()).isZero();
    assertThat(pacer.delayNanos()).isEqualTo(10_000_000L);
    for (int i = 0; i < 100; i++) {
      pacer.accepted(); // one second's worth at 100/s
    }
    assertThat(pacer.currentRate()).as("additive increase: about 10% of the rate per second of acceptance")
      .isBetween(109.0, 111.0);
  }

  @Test
  void aMaximumRateIsTheCeilingToGrowBackTo() {
    Pacer pacer = new Pacer(50, () -> now, () -> 50.0);
    assertThat(pacer.currentRate()).isEqualTo(50);
    pacer.throttled(new Object(), Kind.RATE_LIMIT);
    assertThat(pacer.currentRate()).isEqualTo(25);
    for (int i = 0; i < 10_000; i++) {
      pacer.accepted();
    }
    assertThat(pacer.currentRate()).isEqualTo(50);
    pacer.throttled(new Object(), Kind.CONNECTION_LIMIT);
    assertThat(pacer.currentRate()).as("a connection limit is the pool's business").isEqualTo(50);
    assertThat(pacer.throttleEvents()).isEqualTo(2);
  }
}
