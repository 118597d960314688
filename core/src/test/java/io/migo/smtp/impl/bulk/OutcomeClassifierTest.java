package io.migo.smtp.impl.bulk;

import io.migo.smtp.RecipientRejection;
import io.migo.smtp.RecipientsRejectedException;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OutcomeClassifierTest {

  @Test
  void aResultWithoutRejectionsIsDelivered() {
    SendResult result = new SendResult(null, "250 ok", List.of("b@example.test"), List.of());
    assertThat(OutcomeClassifier.status(result, null)).isEqualTo(Status.DELIVERED);
  }

  @Test
  void aResultWithRejectionsIsPartiallyDelivered() {
    SendResult result = new SendResult(null, "250 ok", List.of("b@example.test"),
      List.of(new RecipientRejection("c@example.test", 550, "5.1.1", "unknown")));
    assertThat(OutcomeClassifier.status(result, null)).isEqualTo(Status.PARTIALLY_DELIVERED);
  }

  @Test
  void refusedRecipientsAreRejected() {
    RecipientsRejectedException e = new RecipientsRejectedException("no valid recipients",
      List.of(new RecipientRejection("c@example.test", 450, "4.2.0", "try later")));
    assertThat(OutcomeClassifier.status(null, e)).isEqualTo(Status.REJECTED);
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
    assertThat(OutcomeClassifier.status(null, e)).isEqualTo(expected);
  }

  @Test
  void aFailureThatIsNotAnSmtpExceptionIsUnknownNotSafeToRetry() {
    IOException cause = new IOException("boom");
    SmtpException wrapped = OutcomeClassifier.asSmtpException(cause);
    assertThat(wrapped.getCause()).isSameAs(cause);
    assertThat(wrapped.reason()).isEqualTo(Reason.INTERNAL);
    assertThat(wrapped).hasMessageContaining("whether the server received the message is unknown");
    assertThat(OutcomeClassifier.status(null, cause)).isEqualTo(Status.UNKNOWN);
    assertThat(OutcomeClassifier.status(null, wrapped)).isEqualTo(Status.UNKNOWN);
  }

  @Test
  void aBugIsUnknownEvenWhenItLooksLikeBadInput() {
    // Only the code that knows nothing was sent may call a failure bad input (it makes an INVALID_INPUT error).
    assertThat(OutcomeClassifier.status(null, new IllegalStateException("bug"))).isEqualTo(Status.UNKNOWN);
    assertThat(OutcomeClassifier.status(null, new IllegalArgumentException("bug"))).isEqualTo(Status.UNKNOWN);
    SmtpException input = new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT, "bad address");
    assertThat(OutcomeClassifier.status(null, input)).isEqualTo(Status.REJECTED);
  }
}
