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
 */
public record SendProgress(long submitted, long delivered, long partiallyDelivered, long rejected, long failed,
                           long unknown, long inFlight, double ratePerSecond) {

  /** Sends that completed, whatever their outcome. */
  public long completed() {
    return delivered + partiallyDelivered + rejected + failed + unknown;
  }
}
