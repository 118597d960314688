package io.migo.smtp;

import java.util.Objects;

/**
 * A recipient the server refused: at RCPT time, or with LMTP also after the data (its own reply to the end of the
 * data, RFC 2033 §4.2, e.g. {@code 552 5.2.2 Quota exceeded}).
 *
 * @param address      the recipient as given
 * @param replyCode    the server's reply code (e.g. 550)
 * @param enhancedCode the RFC 3463 code such as {@code 5.1.1}, or {@code null}
 * @param message      the server's text
 * @param phase        where the refusal came: {@link SmtpPhase#RCPT}, or {@link SmtpPhase#DATA_END} for an LMTP
 *                     recipient refused after the data
 */
public record RecipientRejection(String address, int replyCode, String enhancedCode, String message,
                                 SmtpPhase phase) {

  public RecipientRejection {
    Objects.requireNonNull(phase, "phase");
  }

  /** A refusal at RCPT time. */
  public RecipientRejection(String address, int replyCode, String enhancedCode, String message) {
    this(address, replyCode, enhancedCode, message, SmtpPhase.RCPT);
  }

  /** A 4xx refusal: the recipient may be accepted later. */
  public boolean isTransient() {
    return replyCode >= 400 && replyCode < 500;
  }
}
