package io.migo.smtp;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently the client tries a message again by itself: the numbers. Which failures it tries
 * again is not a setting but follows from what each failure recorded the server to hold
 * ({@link SmtpException#delivery()}): only a transient (4xx) refusal that leaves nothing delivered — MAIL refused,
 * every recipient refused, DATA refused, or the message refused after its data — waits out a backoff and goes
 * again. Permanent (5xx) refusals are never retried, and neither is a message that may have been delivered
 * (connection lost after the final dot): that would risk delivering it twice.
 */
public final class RetryPolicy {

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final double multiplier;
  private final Duration maxBackoff;

  /**
   * @param maxAttempts    attempts in all, the first one included (1 = no retry)
   * @param initialBackoff the wait before the second attempt
   * @param multiplier     each further wait is this many times the previous one
   * @param maxBackoff     the longest wait
   */
  public RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (multiplier < 1) {
      throw new IllegalArgumentException("multiplier must be at least 1");
    }
    this.maxAttempts = maxAttempts;
    this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
    this.multiplier = multiplier;
    this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
  }

  /** No retries. */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, 1, Duration.ZERO);
  }

  /** The default: 3 attempts, waiting 1 s then 2 s. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(3, Duration.ofSeconds(1), 2, Duration.ofSeconds(30));
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * The wait before attempt number {@code nextAttempt} (2 for the first retry), or -1 when the attempts are used up.
   */
  public long backoffMillis(int nextAttempt) {
    if (nextAttempt > maxAttempts) {
      return -1;
    }
    double wait = initialBackoff.toMillis() * Math.pow(multiplier, nextAttempt - 2);
    return (long) Math.min(wait, maxBackoff.toMillis());
  }
}
