package io.migo.smtp.impl.protocol;

import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;

/**
 * The one way caller input is refused before anything reaches the network, so that every refusal has phase
 * {@link SmtpPhase#INPUT} and reason {@link SmtpException.Reason#INVALID_INPUT}.
 */
final class InputChecks {

  private InputChecks() {
  }

  static SmtpException invalid(String message) {
    return new SmtpException(SmtpPhase.INPUT, SmtpException.Reason.INVALID_INPUT, message);
  }

  /**
   * Refuses any C0 control character or DEL: CR and LF would let the value end the command line and smuggle in
   * another command (the injection netty's {@code SmtpUtils} guards against), NUL truncates in C-based servers, and
   * no SMTP argument has a use for the rest. The message names the character by its code, never echoes the value
   * (it may be a credential).
   */
  static void rejectControls(String field, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        throw invalid(field + " contains a control character (" + String.format("0x%02X", (int) c)
            + ") at index " + i);
      }
    }
  }

  static String requireNonEmpty(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw invalid(field + " is empty");
    }
    return value;
  }
}
