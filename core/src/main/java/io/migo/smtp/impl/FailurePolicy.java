package io.migo.smtp.impl;

import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Delivery;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.ThrottlingRules;
import io.migo.smtp.ThrottlingRules.Kind;

/**
 * What a failure means, decided once: the caller's outcome, whether and how the client tries again, whether another
 * relay is tried, and whether the session lives on. Everything here follows from the two facts a failure recorded
 * when it was made — what the server may hold of the message ({@link SmtpException#delivery()}) and whether the
 * session is over ({@link SmtpException#endsSession()}) — and from where it struck. No reply code is looked at
 * again here but for "4xx or 5xx" — except through the {@link ThrottlingRules} table, the one place that reads a
 * refusal's code and text to tell "slow down" from "no" ({@link #throttling}). Allocation-free on success: progress
 * counting asks for every completion.
 */
public final class FailurePolicy {

  /** What the client does after a failure, by itself, before the caller hears of it. */
  public enum Retry {
    /** Nothing: the failure is the outcome. */
    NONE,
    /**
     * Once, at once, on another session: this one ended before any of the message's content went out, so the server
     * holds nothing of it. Either the server announced it is closing the channel, or a reused session turned out to
     * be dead (the server had timed it out). A fresh session that dies on its own is not retried: the server is
     * likely to do it again.
     */
    FRESH_SESSION,
    /** After the {@link io.migo.smtp.RetryPolicy}'s backoff: a transient (4xx) refusal of a message the server does not hold. */
    BACK_OFF,
    /**
     * On the next relay: this one could not be reached, went silent, or turned the session away for now while it
     * was being opened. A failure that would be the same everywhere (TLS, authentication) is not hidden this way.
     */
    FAIL_OVER,
    /**
     * Later, when the client's pacing allows, without using up a {@link io.migo.smtp.RetryPolicy} attempt: the relay
     * refused a message it does not hold because the client goes too fast ({@link ThrottlingRules}). The message gives
     * up only after the throttle timeout since its first deferral.
     */
    DEFER
  }

  private FailurePolicy() {
  }

  /** The status of a completed send: {@code result} when it succeeded, else {@code failure}. */
  public static Status status(SendResult result, Throwable failure) {
    return failure == null ? Status.of(result) : Status.of(failure);
  }

  /**
   * What to do after {@code failure}.
   *
   * @param reusedSession whether the session had carried a message before this one (a stale session may have died
   *                      without anyone knowing)
   */
  public static Retry retry(Throwable failure, boolean reusedSession) {
    return retry(failure, reusedSession, ThrottlingRules.none());
  }

  /**
   * What to do after {@code failure}, when {@code rules} say which refusals are throttling: those are deferred (but
   * a quota reply, which no waiting fixes within a job, is the outcome).
   */
  public static Retry retry(Throwable failure, boolean reusedSession, ThrottlingRules rules) {
    if (!(failure instanceof SmtpException e) || e.delivery() == Delivery.MAYBE_DELIVERED) {
      return Retry.NONE; // never risk delivering the message twice
    }
    Kind throttling = throttling(e, rules);
    if (throttling != null) {
      return throttling == Kind.QUOTA ? Retry.NONE : Retry.DEFER;
    }
    if (!isAboutTheMessage(e.phase())) {
      return isWorthFailingOver(e) ? Retry.FAIL_OVER : Retry.NONE;
    }
    if (e.endsSession()) {
      boolean announced = e.reason() == Reason.REPLY;
      boolean staleSession = e.reason() == Reason.CONNECTION && reusedSession;
      return isBeforeContent(e.phase()) && (announced || staleSession) ? Retry.FRESH_SESSION : Retry.NONE;
    }
    if (e.delivery() == Delivery.REFUSED && e.isTransient()) {
      return Retry.BACK_OFF;
    }
    return Retry.NONE;
  }

  /**
   * Whether no session of this client can succeed after {@code failure}, so that opening another would only repeat it
   * at the relay — a wrong password tried once per message or per session gets real accounts locked. These are the
   * failures no retry fixes: the credentials refused, a security policy that cannot be met (TLS not offered, cleartext
   * AUTH refused, a mechanism too weak: 534/538), a certificate or host name that does not verify, a permanent
   * refusal while a session is being opened (a 5xx greeting, EHLO, STARTTLS or AUTH reply), and 530 "authentication
   * required" wherever it comes. The client then opens no more sessions and fails what waits with this cause.
   */
  public static boolean stopsTheClient(Throwable failure) {
    if (!(failure instanceof SmtpException e)) {
      return false;
    }
    if (e.replyCode() == 530) {
      return true;
    }
    if (!opensTheSession(e.phase())) {
      return false;
    }
    return switch (e.reason()) {
      case AUTHENTICATION_FAILED, SECURITY, TLS -> true;
      case REPLY -> e.isPermanent();
      default -> false;
    };
  }

  /**
   * What a refusal says about the relay's limits, from {@code rules}, or {@code null} when it is no throttling reply.
   * Only a reply counts, and only one after which the server holds nothing of the message: a message that may have
   * been delivered is never deferred and sent again.
   */
  public static Kind throttling(Throwable failure, ThrottlingRules rules) {
    if (!(failure instanceof SmtpException e) || e.replyCode() < 400 || e.delivery() == Delivery.MAYBE_DELIVERED
      || e.reason() == Reason.QUOTA_EXCEEDED || e.reason() == Reason.THROTTLED) {
      return null;
    }
    return rules.classify(e.phase(), e.replyCode(), e.enhancedCode(), e.serverMessage());
  }

  /**
   * Whether a recipient's refusal at RCPT only says the transaction has as many recipients as the server takes in one
   * (RFC 5321 §4.5.3.1.10, e.g. {@code 452 4.5.3 Error: too many recipients}): the recipient is not refused, it goes
   * in a further transaction.
   */
  public static boolean postponesRecipient(int code, String enhancedCode, String text, ThrottlingRules rules) {
    return rules.classify(SmtpPhase.RCPT, code, enhancedCode, text) == Kind.RECIPIENT_LIMIT;
  }

  /**
   * Why the client must open no more sessions after {@code failure}, or {@code null}: the failure itself when
   * {@link #stopsTheClient} says so, or a {@link Reason#QUOTA_EXCEEDED} error when the relay said the account's quota
   * is used up (then nothing more is sent, and what waits fails with it at once).
   */
  public static SmtpException stopCause(Throwable failure, ThrottlingRules rules) {
    if (stopsTheClient(failure)) {
      return (SmtpException) failure;
    }
    if (throttling(failure, rules) == Kind.QUOTA) {
      SmtpException e = (SmtpException) failure;
      return new SmtpException(e.phase(), Reason.QUOTA_EXCEEDED, Delivery.NOT_SENT,
        "the relay says the sending quota is used up, so the client sends nothing more: " + e.serverMessage(),
        e.replyCode(), e.enhancedCode(), e.serverLines(), e);
    }
    return null;
  }

  /**
   * The failure of a message deferred by throttling for {@code elapsedMillis} since its first deferral, past the
   * throttle timeout; {@code last} is the last throttling refusal. The server holds nothing of the message.
   */
  public static SmtpException throttledTooLong(SmtpException last, long elapsedMillis, int deferrals) {
    return new SmtpException(last.phase(), Reason.THROTTLED, Delivery.NOT_SENT,
      "throttled by the relay for " + elapsedMillis + " ms (" + deferrals + " deferrals), past the throttle timeout;"
        + " last reply: " + last.replyCode() + (last.enhancedCode() == null ? "" : " " + last.enhancedCode()) + " "
        + last.serverMessage(), last.replyCode(), last.enhancedCode(), last.serverLines(), last);
  }

  /** The phases of opening a session, before it can carry a message. */
  private static boolean opensTheSession(SmtpPhase phase) {
    return switch (phase) {
      case CONNECT, GREETING, EHLO, HELO, STARTTLS, TLS_HANDSHAKE, AUTH -> true;
      default -> false;
    };
  }

  /**
   * Whether the session can take another message after {@code failure}: not when it is over, nor after a failure
   * that the protocol layer did not make (a bug), which leaves the session in a state nobody knows.
   */
  public static boolean sessionSurvives(Throwable failure) {
    return failure instanceof SmtpException e && !e.endsSession();
  }

  /**
   * Another relay may do better when this one cannot be reached, goes silent, or turns the session away for now
   * (4xx greeting or EHLO, e.g. 421 while shutting down). A TLS or authentication failure would be the same on every
   * relay and must be seen, not hidden by trying the next one.
   */
  private static boolean isWorthFailingOver(SmtpException e) {
    return e.reason() == Reason.CONNECTION || e.reason() == Reason.TIMEOUT
      || (e.phase() == SmtpPhase.GREETING || e.phase() == SmtpPhase.EHLO) && e.isTransient();
  }

  /** The phases of one message's transaction, as opposed to those of opening (or ending) a session. */
  private static boolean isAboutTheMessage(SmtpPhase phase) {
    return switch (phase) {
      case RSET, MAIL, RCPT, DATA, MESSAGE, DATA_END, BDAT -> true;
      default -> false;
    };
  }

  /** Before any of the content left: the envelope, and the DATA command waiting for its 354. */
  private static boolean isBeforeContent(SmtpPhase phase) {
    return switch (phase) {
      case RSET, MAIL, RCPT, DATA -> true;
      default -> false;
    };
  }
}
