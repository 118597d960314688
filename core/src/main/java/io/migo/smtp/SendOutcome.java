package io.migo.smtp;

import io.migo.smtp.impl.bulk.OutcomeClassifier;

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
 */
public record SendOutcome(Mail mail, Status status, SendResult result, SmtpException error) {

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
    UNKNOWN
  }

  public SendOutcome {
    Objects.requireNonNull(mail, "mail");
    Objects.requireNonNull(status, "status");
  }

  /** The outcome of a send that succeeded with {@code result}. */
  public static SendOutcome delivered(Mail mail, SendResult result) {
    return new SendOutcome(mail, OutcomeClassifier.status(result, null), result, null);
  }

  /** The outcome of a send that failed; a failure that is not an {@link SmtpException} is wrapped in one. */
  public static SendOutcome failed(Mail mail, Throwable failure) {
    SmtpException error = OutcomeClassifier.asSmtpException(failure);
    return new SendOutcome(mail, OutcomeClassifier.status(null, error), null, error);
  }

  /** How a failed send is classified (REJECTED, FAILED or UNKNOWN), for callers that keep their own tallies. */
  public static Status statusOf(Throwable failure) {
    return OutcomeClassifier.status(null, OutcomeClassifier.asSmtpException(failure));
  }

  /** Delivered or partially delivered. */
  public boolean isDelivered() {
    return result != null;
  }
}
