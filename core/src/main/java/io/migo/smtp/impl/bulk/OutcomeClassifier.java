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
    if (!(failure instanceof SmtpException e) || e.reason() == Reason.INTERNAL) {
      // Not made by the protocol layer, which records what the server may hold: a bug may have struck after the
      // message went out, so nothing here can say it is safe to send again. Errors the client knows to have struck
      // before anything was sent (bad input) are made as SmtpExceptions where that is known.
      return Status.UNKNOWN;
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

  /**
   * Wraps a failure that is not an SmtpException, so that an outcome always has one: reason INTERNAL (outcome
   * UNKNOWN), the original as the cause.
   */
  public static SmtpException asSmtpException(Throwable failure) {
    if (failure instanceof SmtpException e) {
      return e;
    }
    return new SmtpException(SmtpPhase.MESSAGE, Reason.INTERNAL,
      "unexpected error in the client; whether the server received the message is unknown: " + failure, failure);
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
