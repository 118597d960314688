package io.migo.smtp.impl.auth;

import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import java.util.Base64;

/** Base64 at the edge of SASL (RFC 4954): mechanisms see raw bytes, the wire sees base64. */
public final class Base64Sasl {

  private static final byte[] EMPTY = new byte[0];
  /** Enough of a bad challenge to recognise it in an error message. */
  private static final int MAX_QUOTED_CHARS = 64;

  private Base64Sasl() {
  }

  /** A continuation response: base64, empty for an empty response. */
  public static String encode(byte[] response) {
    return Base64.getEncoder().encodeToString(response);
  }

  /** An initial response for the AUTH line: an empty one is written "=" so that it differs from "no initial response". */
  public static String encodeInitialResponse(byte[] response) {
    return response.length == 0 ? "=" : encode(response);
  }

  /**
   * Decodes the text of a {@code 334} reply. Empty text or "=" is an empty challenge.
   *
   * @throws SmtpException with phase AUTH and reason PROTOCOL when the text is not base64
   */
  public static byte[] decodeChallenge(String text) {
    String trimmed = text.strip();
    if (trimmed.isEmpty() || trimmed.equals("=")) {
      return EMPTY;
    }
    try {
      // The basic decoder, not the MIME one: that one skips characters outside the alphabet instead of failing.
      return Base64.getDecoder().decode(trimmed);
    } catch (IllegalArgumentException e) {
      String quoted = trimmed.length() > MAX_QUOTED_CHARS ? trimmed.substring(0, MAX_QUOTED_CHARS) + "..." : trimmed;
      throw new SmtpException(SmtpPhase.AUTH, Reason.PROTOCOL, "server challenge is not base64: \"" + quoted + "\"", e);
    }
  }
}
