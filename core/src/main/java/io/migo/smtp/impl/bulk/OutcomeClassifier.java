package io.migo.smtp.impl.bulk;

import io.migo.smtp.RecipientsRejectedException;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;

/**
 * The one place that decides what a send's result or failure means for the caller: done, refused for good, safe to
 * retry, or unknown. Allocation-free, since progress counting calls it for every completion.
 */
public final class OutcomeClassifier {

  private OutcomeClassifier() {
  }

  /** The status of a completed send: {@code result} when it succeeded, else {@code failure}. */
  public static Status status(SendResult result, Throwable failure) {
    if (failure == null) {
      return result != null && result.isPartial() ? Status.PARTIALLY_DELIVERED : Status.DELIVERED;
    }
    if (!(failure instanceof SmtpException e)) {
      // Not from the protocol layer: nothing says the server got the message, so it is treated as not sent.
      return failure instanceof IllegalArgumentException || failure instanceof NullPointerException
        ? Status.REJECTED : Status.FAILED;
    }
    if (e instanceof RecipientsRejectedException || e.reason() == Reason.INVALID_INPUT) {
      return Status.REJECTED;
    }
    if (e.isPermanent() && refusesTheMessage(e.phase())) {
      return Status.REJECTED;
    }
    if (e.phase() == SmtpPhase.DATA_END && e.replyCode() < 0 && lostTheVerdict(e.reason())) {
      // The whole message went out; the server may have queued it before the reply was lost. Resending may
      // deliver it twice.
      return Status.UNKNOWN;
    }
    return Status.FAILED;
  }

  /** Wraps a failure that is not an SmtpException, so that an outcome always has one. */
  public static SmtpException asSmtpException(Throwable failure) {
    if (failure instanceof SmtpException e) {
      return e;
    }
    if (failure instanceof IllegalArgumentException || failure instanceof NullPointerException) {
      return new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT, String.valueOf(failure.getMessage()), failure);
    }
    return new SmtpException(SmtpPhase.CONNECT, Reason.CONNECTION, "send failed: " + failure, failure);
  }

  private static boolean refusesTheMessage(SmtpPhase phase) {
    return switch (phase) {
      case MAIL, RCPT, DATA, DATA_END, BDAT -> true;
      default -> false;
    };
  }

  private static boolean lostTheVerdict(Reason reason) {
    return switch (reason) {
      case CONNECTION, TIMEOUT, PROTOCOL, CLOSED -> true;
      default -> false;
    };
  }
}
