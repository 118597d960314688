package io.migo.smtp.impl;

import io.migo.smtp.RecipientRejection;
import io.migo.smtp.RecipientsRejectedException;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Delivery;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.impl.FailurePolicy.Retry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one policy that says what a failure means. The first table is the outcomes the classifier gave before the
 * policy existed (kept as they were); the second is the whole decision, row by row.
 */
class FailurePolicyTest {

  @Test
  void aResultWithoutRejectionsIsDelivered() {
    SendResult result = new SendResult(null, "250 ok", List.of("b@example.test"), List.of());
    assertThat(FailurePolicy.status(result, null)).isEqualTo(Status.DELIVERED);
  }

  @Test
  void aResultWithRejectionsIsPartiallyDelivered() {
    SendResult result = new SendResult(null, "250 ok", List.of("b@example.test"),
      List.of(new RecipientRejection("c@example.test", 550, "5.1.1", "unknown")));
    assertThat(FailurePolicy.status(result, null)).isEqualTo(Status.PARTIALLY_DELIVERED);
  }

  @Test
  void refusedRecipientsAreRejected() {
    RecipientsRejectedException e = new RecipientsRejectedException("no valid recipients",
      List.of(new RecipientRejection("c@example.test", 450, "4.2.0", "try later")));
    assertThat(FailurePolicy.status(null, e)).isEqualTo(Status.REJECTED);
  }

  /** phase, reason, reply code (-1: none) → status. */
  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource({
    "MAIL,      REPLY,          553, REJECTED",
    "RCPT,      REPLY,          550, REJECTED",
    "DATA,      REPLY,          554, REJECTED",
    "DATA_END,  REPLY,          554, REJECTED",
    "BDAT,      REPLY,          552, REJECTED",
    "INPUT,     INVALID_INPUT,   -1, REJECTED",
    "MAIL,      REPLY,          451, FAILED",
    "DATA_END,  REPLY,          451, FAILED",
    "DATA_END,  REPLY,          421, FAILED",
    "DATA_END,  CONNECTION,      -1, UNKNOWN",
    "DATA_END,  TIMEOUT,         -1, UNKNOWN",
    "DATA_END,  PROTOCOL,        -1, UNKNOWN",
    "DATA_END,  CLOSED,          -1, UNKNOWN",
    "MESSAGE,   CONNECTION,      -1, FAILED",
    "MESSAGE,   TIMEOUT,         -1, FAILED",
    "RCPT,      TIMEOUT,         -1, FAILED",
    "CONNECT,   CONNECTION,      -1, FAILED",
    "AUTH,      AUTHENTICATION_FAILED, 535, FAILED",
    "GREETING,  REPLY,          554, FAILED",
    "MAIL,      POOL_EXHAUSTED,  -1, FAILED",
    "MAIL,      CLOSED,          -1, FAILED",
  })
  void classifiesFailuresByPhaseReasonAndReply(SmtpPhase phase, Reason reason, int code, Status expected) {
    SmtpException e = new SmtpException(phase, reason, "test", code, null, List.of(), null);
    assertThat(FailurePolicy.status(null, e)).isEqualTo(expected);
  }

  @Test
  void aFailureThatIsNotAnSmtpExceptionIsUnknownNotSafeToRetry() {
    IOException cause = new IOException("boom");
    SmtpException wrapped = SmtpException.of(cause);
    assertThat(wrapped.getCause()).isSameAs(cause);
    assertThat(wrapped.reason()).isEqualTo(Reason.INTERNAL);
    assertThat(wrapped).hasMessageContaining("whether the server received the message is unknown");
    assertThat(FailurePolicy.status(null, cause)).isEqualTo(Status.UNKNOWN);
    assertThat(FailurePolicy.status(null, wrapped)).isEqualTo(Status.UNKNOWN);
  }

  @Test
  void aBugIsUnknownEvenWhenItLooksLikeBadInput() {
    // Only the code that knows nothing was sent may call a failure bad input (it makes an INVALID_INPUT error).
    assertThat(FailurePolicy.status(null, new IllegalStateException("bug"))).isEqualTo(Status.UNKNOWN);
    assertThat(FailurePolicy.status(null, new IllegalArgumentException("bug"))).isEqualTo(Status.UNKNOWN);
    SmtpException input = new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT, "bad address");
    assertThat(FailurePolicy.status(null, input)).isEqualTo(Status.REJECTED);
  }

  /**
   * phase, reason, reply code (-1: none) → what the server may hold, the caller's status, the retry after a failure
   * on a fresh session and on a reused one, and whether the session can carry another message.
   */
  @ParameterizedTest(name = "{0} {1} {2} -> {3} {4} {5}/{6} survives={7}")
  @CsvSource({
    // Opening a session: a relay that cannot be reached or turns us away for now is worth failing over from.
    "CONNECT,   CONNECTION,            -1, NOT_SENT,        FAILED,   FAIL_OVER,     FAIL_OVER,     false",
    "CONNECT,   TLS,                   -1, NOT_SENT,        FAILED,   NONE,          NONE,          false",
    "GREETING,  REPLY,                421, NOT_SENT,        FAILED,   FAIL_OVER,     FAIL_OVER,     false",
    "GREETING,  REPLY,                554, NOT_SENT,        FAILED,   NONE,          NONE,          true",
    "GREETING,  TIMEOUT,               -1, NOT_SENT,        FAILED,   FAIL_OVER,     FAIL_OVER,     false",
    "EHLO,      REPLY,                421, NOT_SENT,        FAILED,   FAIL_OVER,     FAIL_OVER,     false",
    "EHLO,      REPLY,                451, NOT_SENT,        FAILED,   FAIL_OVER,     FAIL_OVER,     true",
    "HELO,      REPLY,                451, NOT_SENT,        FAILED,   NONE,          NONE,          true",
    "STARTTLS,  SECURITY,             454, NOT_SENT,        FAILED,   NONE,          NONE,          true",
    "AUTH,      AUTHENTICATION_FAILED, 535, NOT_SENT,       FAILED,   NONE,          NONE,          true",
    "AUTH,      CONNECTION,            -1, NOT_SENT,        FAILED,   FAIL_OVER,     FAIL_OVER,     false",
    "AUTH,      INVALID_INPUT,         -1, NOT_SENT,        REJECTED, NONE,          NONE,          true",
    // 421 before the content: the server is closing the channel, a fresh session may do better, at once.
    "RSET,      REPLY,                421, NOT_SENT,        FAILED,   FRESH_SESSION, FRESH_SESSION, false",
    "MAIL,      REPLY,                421, REFUSED,         FAILED,   FRESH_SESSION, FRESH_SESSION, false",
    "RCPT,      REPLY,                421, REFUSED,         FAILED,   FRESH_SESSION, FRESH_SESSION, false",
    "DATA,      REPLY,                421, REFUSED,         FAILED,   FRESH_SESSION, FRESH_SESSION, false",
    // 421 after the data: refused, nothing delivered; but the content went out once already, so no quick resend.
    "DATA_END,  REPLY,                421, REFUSED,         FAILED,   NONE,          NONE,          false",
    // Transient refusals: back off and try again, on the same session if it is still there.
    "MAIL,      REPLY,                451, REFUSED,         FAILED,   BACK_OFF,      BACK_OFF,      true",
    "RCPT,      REPLY,                452, REFUSED,         FAILED,   BACK_OFF,      BACK_OFF,      true",
    "DATA,      REPLY,                451, REFUSED,         FAILED,   BACK_OFF,      BACK_OFF,      true",
    "DATA_END,  REPLY,                451, REFUSED,         FAILED,   BACK_OFF,      BACK_OFF,      true",
    "BDAT,      REPLY,                452, REFUSED,         FAILED,   BACK_OFF,      BACK_OFF,      true",
    // Permanent refusals.
    "MAIL,      REPLY,                553, REFUSED,         REJECTED, NONE,          NONE,          true",
    "DATA_END,  REPLY,                554, REFUSED,         REJECTED, NONE,          NONE,          true",
    "BDAT,      REPLY,                552, REFUSED,         REJECTED, NONE,          NONE,          true",
    // A lost connection before the content: a reused session may have gone stale; a fresh one that dies is not retried.
    "RSET,      CONNECTION,            -1, NOT_SENT,        FAILED,   NONE,          FRESH_SESSION, false",
    "MAIL,      CONNECTION,            -1, NOT_SENT,        FAILED,   NONE,          FRESH_SESSION, false",
    "RCPT,      CONNECTION,            -1, NOT_SENT,        FAILED,   NONE,          FRESH_SESSION, false",
    "DATA,      CONNECTION,            -1, NOT_SENT,        FAILED,   NONE,          FRESH_SESSION, false",
    "MAIL,      TIMEOUT,               -1, NOT_SENT,        FAILED,   NONE,          NONE,          false",
    "RCPT,      PROTOCOL,              -1, NOT_SENT,        FAILED,   NONE,          NONE,          false",
    // During the content the server cannot have the whole message; after the dot it may.
    "MESSAGE,   CONNECTION,            -1, NOT_SENT,        FAILED,   NONE,          NONE,          false",
    "MESSAGE,   TIMEOUT,               -1, NOT_SENT,        FAILED,   NONE,          NONE,          false",
    "DATA_END,  CONNECTION,            -1, MAYBE_DELIVERED, UNKNOWN,  NONE,          NONE,          false",
    "DATA_END,  TIMEOUT,               -1, MAYBE_DELIVERED, UNKNOWN,  NONE,          NONE,          false",
    "DATA_END,  PROTOCOL,              -1, MAYBE_DELIVERED, UNKNOWN,  NONE,          NONE,          false",
    "DATA_END,  CLOSED,                -1, MAYBE_DELIVERED, UNKNOWN,  NONE,          NONE,          false",
    "DATA_END,  TLS,                   -1, MAYBE_DELIVERED, UNKNOWN,  NONE,          NONE,          false",
    // The client's own failures.
    "MESSAGE,   INTERNAL,              -1, MAYBE_DELIVERED, UNKNOWN,  NONE,          NONE,          false",
    "INPUT,     INVALID_INPUT,         -1, NOT_SENT,        REJECTED, NONE,          NONE,          true",
    "CONNECT,   POOL_EXHAUSTED,        -1, NOT_SENT,        FAILED,   NONE,          NONE,          true",
    "CONNECT,   CLOSED,                -1, NOT_SENT,        FAILED,   NONE,          NONE,          false",
  })
  void decidesEverythingFromOneFact(SmtpPhase phase, Reason reason, int code, Delivery delivery, Status status,
                                    Retry onFreshSession, Retry onReusedSession, boolean survives) {
    SmtpException e = new SmtpException(phase, reason, "test", code, null, List.of(), null);
    assertThat(e.delivery()).as("delivery").isEqualTo(delivery);
    assertThat(FailurePolicy.status(null, e)).as("status").isEqualTo(status);
    assertThat(FailurePolicy.retry(e, false)).as("retry on a fresh session").isEqualTo(onFreshSession);
    assertThat(FailurePolicy.retry(e, true)).as("retry on a reused session").isEqualTo(onReusedSession);
    assertThat(FailurePolicy.sessionSurvives(e)).as("session survives").isEqualTo(survives);
    assertThat(e.endsSession()).isEqualTo(!survives);
  }

  @Test
  void recipientsRefusedForNowAreRetriedAfterABackoffButReportedRejected() {
    RecipientsRejectedException e = new RecipientsRejectedException("every recipient was refused", List.of(
      new RecipientRejection("b@example.test", 450, "4.2.0", "mailbox busy"),
      new RecipientRejection("c@example.test", 451, "4.3.0", "try later")));
    assertThat(e.delivery()).isEqualTo(Delivery.REFUSED);
    assertThat(FailurePolicy.retry(e, false)).isEqualTo(Retry.BACK_OFF);
    assertThat(FailurePolicy.status(null, e)).isEqualTo(Status.REJECTED);
    assertThat(FailurePolicy.sessionSurvives(e)).isTrue();
  }

  @Test
  void recipientsRefusedForGoodAreNotRetried() {
    RecipientsRejectedException e = new RecipientsRejectedException("2 of 3 recipients refused", List.of(
      new RecipientRejection("b@example.test", 450, "4.2.0", "mailbox busy"),
      new RecipientRejection("c@example.test", 550, "5.1.1", "no such user")));
    assertThat(FailurePolicy.retry(e, true)).isEqualTo(Retry.NONE);
    assertThat(FailurePolicy.status(null, e)).isEqualTo(Status.REJECTED);
  }

  @Test
  void recipientsRefusedBecauseTheServerIsClosingGoAgainOnAFreshSession() {
    RecipientsRejectedException e = new RecipientsRejectedException("every recipient was refused",
      List.of(new RecipientRejection("b@example.test", 421, "4.3.2", "shutting down")));
    assertThat(e.endsSession()).isTrue();
    assertThat(FailurePolicy.retry(e, false)).isEqualTo(Retry.FRESH_SESSION);
  }

  @Test
  void aBugIsNeverRetriedAndEndsTheSession() {
    IllegalStateException bug = new IllegalStateException("bug");
    assertThat(FailurePolicy.retry(bug, true)).isEqualTo(Retry.NONE);
    assertThat(FailurePolicy.sessionSurvives(bug)).isFalse();
  }

  @Test
  void aFactRecordedWhereItIsKnownWinsOverThePhase() {
    SmtpException e = new SmtpException(SmtpPhase.MAIL, Reason.CONNECTION, Delivery.MAYBE_DELIVERED, "test", -1,
      null, List.of(), null);
    assertThat(FailurePolicy.status(null, e)).isEqualTo(Status.UNKNOWN);
    assertThat(FailurePolicy.retry(e, true)).isEqualTo(Retry.NONE);
  }
}
