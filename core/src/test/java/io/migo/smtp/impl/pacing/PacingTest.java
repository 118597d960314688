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
  void aRateRefusalBlocksUntilAProbeIsAcceptedThenTheRateIsWhatTheRelayTookOverTheCycle() {
    Pacer pacer = new Pacer(0, () -> now);
    long start = now;
    // A relay with a window of 10 s allowing 500: the client sends 500 in one second, the 501st is refused.
    for (int i = 0; i < 500; i++) {
      assertThat(pacer.delayNanos()).isZero();
      pacer.accepted(pacer.epoch());
      now += 2_000_000L;
    }
    long epoch = pacer.epoch();
    Object refusal = new Object();
    pacer.throttled(refusal, Kind.RATE_LIMIT, epoch);
    pacer.throttled(refusal, Kind.RATE_LIMIT, epoch);
    assertThat(pacer.throttleEvents()).as("one reply, however many messages it reached").isEqualTo(1);
    assertThat(pacer.isBlocked()).isTrue();
    pacer.throttled(new Object(), Kind.RATE_LIMIT, epoch);
    assertThat(pacer.epoch()).as("a message sent before the block is no news").isEqualTo(epoch + 1);
    pacer.accepted(epoch);
    assertThat(pacer.isBlocked()).as("nor is one sent before the block and accepted after it").isTrue();

    assertThat(pacer.delayNanos()).as("blocked: look again later").isEqualTo(-Pacer.RECHECK_NANOS);
    now += Pacer.FIRST_PROBE_NANOS;
    assertThat(pacer.delayNanos()).as("the probe").isZero();
    long probeEpoch = pacer.epoch();
    assertThat(pacer.delayNanos()).as("one probe at a time").isNegative();
    pacer.throttled(new Object(), Kind.RATE_LIMIT, probeEpoch);
    long longerWait = (long) (Pacer.FIRST_PROBE_NANOS * Pacer.PROBE_BACKOFF);
    now += longerWait - 1;
    assertThat(pacer.delayNanos()).as("a refused probe makes the wait for the next a little longer").isNegative();
    now += 1;
    assertThat(pacer.delayNanos()).isZero();

    now = start + 10_000_000_000L; // the relay's window ends; the probe is accepted
    pacer.accepted(pacer.epoch());
    assertThat(pacer.isBlocked()).isFalse();
    assertThat(pacer.currentRate()).as("500 accepted over the 10 s cycle").isBetween(49.0, 51.5);
    assertThat(pacer.delayNanos()).isZero();
    assertThat(pacer.delayNanos()).as("paced at the learned rate").isBetween(19_000_000L, 21_000_000L);
  }

  @Test
  void aRefusalSetsWhatTheRelayTookOverTheCycleOrATenthLessThanTheRefusedRateWhicheverIsLower() {
    Pacer pacer = learnedRate(100);
    for (int i = 0; i < 1000; i++) { // ten seconds at the learned rate, growing: the relay's window allows 400 of them
      now += 10_000_000L;
      pacer.accepted(pacer.epoch());
    }
    double refusedAt = pacer.currentRate();
    pacer.throttled(new Object(), Kind.RATE_LIMIT, pacer.epoch());
    now += 15_000_000_000L; // blocked until the relay's 25 s window ends: 1000 messages over 25 s
    pacer.delayNanos();
    pacer.accepted(pacer.epoch());
    assertThat(pacer.currentRate()).as("the cycle's 40 per second, not 90 %% of %s", refusedAt).isBetween(38.0, 42.0);

    Pacer capped = new Pacer(40, () -> now);
    for (int i = 0; i < 400; i++) { // ten seconds at the maximum rate, all taken
      now += 25_000_000L;
      capped.accepted(capped.epoch());
    }
    capped.throttled(new Object(), Kind.RATE_LIMIT, capped.epoch());
    now += Pacer.FIRST_PROBE_NANOS;
    capped.delayNanos();
    capped.accepted(capped.epoch());
    assertThat(capped.currentRate()).as("the cycle ran at the refused rate: a tenth less")
        .isEqualTo(40 * Pacer.DECREASE_FACTOR);
  }

  @Test
  void aLearnedRateGrowsBackAboutTwoPercentPerSecondOfAcceptance() {
    Pacer pacer = learnedRate(100);
    double before = pacer.currentRate();
    for (int i = 0; i < 1000; i++) { // ten seconds' worth
      now += 10_000_000L;
      pacer.accepted(pacer.epoch());
    }
    assertThat(pacer.currentRate() / before).isBetween(1.15, 1.25);
  }

  @Test
  void aMaximumRateIsTheCeilingToGrowBackToAndConnectionLimitsAreThePoolsBusiness() {
    Pacer pacer = new Pacer(50, () -> now);
    assertThat(pacer.currentRate()).isEqualTo(50);
    assertThat(pacer.delayNanos()).isZero();
    assertThat(pacer.delayNanos()).isEqualTo(20_000_000L);
    pacer.throttled(new Object(), Kind.CONNECTION_LIMIT, pacer.epoch());
    assertThat(pacer.isBlocked()).as("a connection limit is the pool's business").isFalse();
    for (int i = 0; i < 100; i++) {
      now += 20_000_000L;
      pacer.accepted(pacer.epoch());
    }
    pacer.throttled(new Object(), Kind.RATE_LIMIT, pacer.epoch());
    now += 18_000_000_000L;
    pacer.delayNanos();
    pacer.accepted(pacer.epoch());
    assertThat(pacer.currentRate()).as("the cycle's rate").isLessThan(50);
    for (int i = 0; i < 100_000; i++) {
      now += 20_000_000L;
      pacer.accepted(pacer.epoch());
    }
    assertThat(pacer.currentRate()).isEqualTo(50);
    assertThat(pacer.throttleEvents()).isEqualTo(2);
  }

  @Test
  void aPauseInAcceptanceStartsANewCycle() {
    Pacer pacer = new Pacer(0, () -> now);
    for (int i = 0; i < 100; i++) { // an early burst...
      pacer.accepted(pacer.epoch());
    }
    now += 3_600_000_000_000L; // ... an hour idle ...
    for (int i = 0; i < 100; i++) { // ... then 100 per second
      now += 10_000_000L;
      pacer.accepted(pacer.epoch());
    }
    pacer.throttled(new Object(), Kind.RATE_LIMIT, pacer.epoch());
    pacer.accepted(pacer.epoch());
    assertThat(pacer.currentRate()).as("the hour before counts for nothing").isBetween(95.0, 102.0);
  }

  /** A pacer that learned {@code perSecond} from a cycle of one second. */
  private Pacer learnedRate(int perSecond) {
    Pacer pacer = new Pacer(0, () -> now);
    for (int i = 0; i < perSecond; i++) {
      now += 1_000_000_000L / perSecond;
      pacer.accepted(pacer.epoch());
    }
    pacer.throttled(new Object(), Kind.RATE_LIMIT, pacer.epoch());
    pacer.accepted(pacer.epoch());
    assertThat(pacer.currentRate()).isBetween(perSecond * 0.95, perSecond * 1.05);
    return pacer;
  }
}
