package io.migo.smtp;

import java.util.Objects;

/**
 * What became of one {@link Mail} of a bulk send. Failures are outcomes too, so that one bad message never ends the
 * stream; the {@link #status()} tells what the caller may do next.
 *
 * @param mail   the input this outcome belongs to (with its correlation id)
 * @param status how it ended
 * @param result the server's acceptance, {@code null} unless {@link Status#DELIVERED} or
 *               {@link Status#PARTIALLY_DELIVERED}
 * @param error  why it did not (fully) go, {@code null} when delivered or partially delivered
 * @param attempts  how many times it was tried (0 when not sent: skipped, or refused by the client's own checks)
 * @param deferrals how many times the relay's throttling deferred it; deferrals do not count as attempts
 * @param journaled for {@link Status#SKIPPED}, and for an UNKNOWN left in flight by an earlier run: what the
 *                  {@link BulkJournal} held for it; {@code null} otherwise
 */
public record SendOutcome(Mail mail, Status status, SendResult result, SmtpException error, int attempts,
                          int deferrals, JournalEntry journaled) {

  /** How a message ended, from the caller's point of view. */
  public enum Status {
    /** Accepted for every recipient. */
    DELIVERED,
    /** Accepted for some recipients; {@link SendResult#rejectedRecipients()} lists the others. */
    PARTIALLY_DELIVERED,
    /** Refused permanently (5xx, refused recipients, invalid input): sending it again will fail again. */
    REJECTED,
    /** Not delivered, and the server does not have it: safe to retry. */
    FAILED,
    /** The connection failed after the whole message was sent but before the server's verdict: it may be delivered. */
    UNKNOWN,
    /**
     * Not sent again: an earlier run with the same {@link BulkJournal} already ended it;
     * {@link SendOutcome#journaled()} tells how.
     */
    SKIPPED;

    /** The status of a send that succeeded with {@code result}. */
    public static Status of(SendResult result) {
      return result != null && result.isPartial() ? PARTIALLY_DELIVERED : DELIVERED;
    }

    /**
     * The status of a failed send, from what the failure recorded the server to hold ({@link SmtpException#delivery()}).
     * A failure that is not an {@link SmtpException} was not made where that is known: UNKNOWN. Allocation-free, as
     * progress counting calls it for every completion.
     */
    public static Status of(Throwable failure) {
      if (!(failure instanceof SmtpException e)) {
        return UNKNOWN;
      }
      return switch (e.delivery()) {
        case MAYBE_DELIVERED -> UNKNOWN;
        // Refused recipients are REJECTED even when every refusal was a 4xx: the client has already tried them
        // again as its RetryPolicy allows, and the caller is told which addresses the server would not take.
        case REFUSED -> e.isPermanent() || e instanceof RecipientsRejectedException ? REJECTED : FAILED;
        // The client's own checks refused the input before sending: it would refuse it again.
        case NOT_SENT -> e.reason() == SmtpException.Reason.INVALID_INPUT ? REJECTED : FAILED;
      };
    }
  }

  public SendOutcome {
    Objects.requireNonNull(mail, "mail");
    Objects.requireNonNull(status, "status");
    if (attempts < 0 || deferrals < 0) {
      throw new IllegalArgumentException("attempts and deferrals must not be negative");
    }
  }

  /** An outcome of one attempt, never deferred, with nothing journaled. */
  public SendOutcome(Mail mail, Status status, SendResult result, SmtpException error) {
    this(mail, status, result, error, 1, 0, null);
  }

  /** An id that an earlier run with the same journal already ended, as {@code entry} says: not sent again. */
  public static SendOutcome skipped(Mail mail, JournalEntry entry) {
    return new SendOutcome(mail, Status.SKIPPED, null, null, 0, 0, Objects.requireNonNull(entry, "entry"));
  }

  /** This outcome with how often the message was tried and deferred. */
  public SendOutcome withTries(int attempts, int deferrals) {
    return new SendOutcome(mail, status, result, error, attempts, deferrals, journaled);
  }

  /**
   * Delivered for every recipient — in this run, or (SKIPPED) in an earlier one. A job whose every outcome is
   * delivered in this sense has nothing left to do.
   */
  public boolean isDeliveredNowOrBefore() {
    return status == Status.DELIVERED || status == Status.SKIPPED && journaled.status() == Status.DELIVERED;
  }

  /** The outcome of a send that succeeded with {@code result}. */
  public static SendOutcome delivered(Mail mail, SendResult result) {
    return new SendOutcome(mail, Status.of(result), result, null);
  }

  /** The outcome of a send that failed; a failure that is not an {@link SmtpException} is wrapped in one. */
  public static SendOutcome failed(Mail mail, Throwable failure) {
    SmtpException error = SmtpException.of(failure);
    return new SendOutcome(mail, Status.of(error), null, error);
  }

  /** How a failed send is classified (REJECTED, FAILED or UNKNOWN), for callers that keep their own tallies. */
  public static Status statusOf(Throwable failure) {
    return Status.of(failure);
  }

  /** Delivered or partially delivered. */
  public boolean isDelivered() {
    return result != null;
  }
}
