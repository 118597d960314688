package io.migo.smtp;

/**
 * A snapshot of the client's sends since it was created, whichever API started them.
 *
 * @param submitted          sends started
 * @param delivered          accepted for every recipient
 * @param partiallyDelivered accepted for some recipients
 * @param rejected           refused permanently
 * @param failed             not delivered, safe to retry
 * @param unknown            outcome unknown (the connection failed at the point of delivery)
 * @param inFlight           started and not yet completed
 * @param ratePerSecond      completions per second over the last few seconds
 * @param rateLimit          messages per second the client allows itself now: the configured maximum, or less after
 *                           the relay asked it to slow down; 0 for no limit
 * @param sessionLimit       sessions the client may open now: the pool's maximum, or fewer after the relay refused
 *                           connections
 * @param deferred           messages deferred by throttling replies and not yet completed
 * @param throttleEvents     throttling replies so far: how many times the relay asked the client to slow down
 * @see ThrottlingRules
 */
public record SendProgress(long submitted, long delivered, long partiallyDelivered, long rejected, long failed,
                           long unknown, long inFlight, double ratePerSecond, double rateLimit, int sessionLimit,
                           long deferred, long throttleEvents) {

  /** Counts without throttling: no rate limit, no session limit known, nothing deferred. */
  public SendProgress(long submitted, long delivered, long partiallyDelivered, long rejected, long failed,
                      long unknown, long inFlight, double ratePerSecond) {
    this(submitted, delivered, partiallyDelivered, rejected, failed, unknown, inFlight, ratePerSecond, 0, 0, 0, 0);
  }

  /** Sends that completed, whatever their outcome. */
  public long completed() {
    return delivered + partiallyDelivered + rejected + failed + unknown;
  }
}
