package io.migo.smtp;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The retry policy holds numbers only: which failures are retried is {@code FailurePolicy}'s to say. */
class RetryPolicyTest {

  @Test
  void waitsGrowByTheMultiplierUpToTheLongestWait() {
    RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), 3, Duration.ofMillis(1000));
    assertThat(policy.backoffMillis(2)).isEqualTo(100);
    assertThat(policy.backoffMillis(3)).isEqualTo(300);
    assertThat(policy.backoffMillis(4)).isEqualTo(900);
    assertThat(policy.backoffMillis(5)).isEqualTo(1000);
  }

  @Test
  void noWaitOnceTheAttemptsAreUsedUp() {
    assertThat(RetryPolicy.defaults().backoffMillis(3)).isEqualTo(2000);
    assertThat(RetryPolicy.defaults().backoffMillis(4)).isEqualTo(-1);
    assertThat(RetryPolicy.none().backoffMillis(2)).isEqualTo(-1);
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, 1, Duration.ZERO))
      .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryPolicy(2, Duration.ZERO, 0.5, Duration.ZERO))
      .isInstanceOf(IllegalArgumentException.class);
  }
}
