package io.migo.smtp.impl.auth;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import java.util.Base64;

/**
 * A parsed SCRAM server-first-message (RFC 5802 §7): {@code r=<nonce>,s=<base64 salt>,i=<iterations>[,ext...]}.
 * Parsing checks the form only; whether the nonce extends ours and the count is acceptable is the mechanism's call.
 */
record ScramServerFirst(String nonce, byte[] salt, int iterations) {

  /** Enough of a bad message to recognise it in an error; the server-first message holds no secret. */
  private static final int MAX_QUOTED_CHARS = 80;

  static ScramServerFirst parse(AuthMechanism mechanism, String message) {
    // RFC 5802 §5.1: "m=" before "r=" announces a mandatory extension; none is defined and we support none.
    if (message.startsWith("m=")) {
      throw malformed(mechanism, message, "it asks for a mandatory extension (m=) this client does not support");
    }
    String[] attributes = message.split(",", -1);
    if (attributes.length < 3) {
      throw malformed(mechanism, message, "expected r=, s= and i=");
    }
    String nonce = value(mechanism, message, attributes[0], 'r');
    String salt = value(mechanism, message, attributes[1], 's');
    String iterations = value(mechanism, message, attributes[2], 'i');
    if (nonce.isEmpty() || !isPrintable(nonce)) {
      throw malformed(mechanism, message, "the nonce r= is empty or not printable ASCII without ','");
    }
    return new ScramServerFirst(nonce, decodeSalt(mechanism, message, salt), parseCount(mechanism, message, iterations));
  }

  private static String value(AuthMechanism mechanism, String message, String attribute, char name) {
    if (attribute.length() < 2 || attribute.charAt(0) != name || attribute.charAt(1) != '=') {
      throw malformed(mechanism, message, "expected " + name + "= in this place");
    }
    return attribute.substring(2);
  }

  private static byte[] decodeSalt(AuthMechanism mechanism, String message, String salt) {
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(salt);
    } catch (IllegalArgumentException e) {
      throw malformed(mechanism, message, "the salt s= is not base64");
    }
    if (decoded.length == 0) {
      throw malformed(mechanism, message, "the salt s= is empty");
    }
    return decoded;
  }

  private static int parseCount(AuthMechanism mechanism, String message, String iterations) {
    // Digits only: no sign, no spaces. More than 9 digits exceeds any acceptable count (and an int); the mechanism
    // refuses it with the bound, which says more than "not a number".
    if (iterations.isEmpty() || !iterations.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw malformed(mechanism, message, "the iteration count i= is not a decimal number");
    }
    if (iterations.length() > 9) {
      return Integer.MAX_VALUE;
    }
    return Integer.parseInt(iterations);
  }

  /** RFC 5802 §7: {@code printable = %x21-2B / %x2D-7E} (visible ASCII except ','). */
  static boolean isPrintable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7E || c == ',') {
        return false;
      }
    }
    return true;
  }

  static SmtpException malformed(AuthMechanism mechanism, String message, String why) {
    String quoted = message.length() > MAX_QUOTED_CHARS ? message.substring(0, MAX_QUOTED_CHARS) + "..." : message;
    return new SmtpException(SmtpPhase.AUTH, Reason.PROTOCOL, mechanism.saslName()
        + ": malformed server-first message (" + why + "): \"" + printableOnly(quoted) + "\"");
  }

  /** Control characters from a hostile server would garble logs; they are shown as '?'. */
  static String printableOnly(String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.chars().forEach(c -> out.append(c >= 0x20 && c <= 0x7E ? (char) c : '?'));
    return out.toString();
  }
}
