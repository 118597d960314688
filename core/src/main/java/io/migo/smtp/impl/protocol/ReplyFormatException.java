package io.migo.smtp.impl.protocol;

/**
 * The server's bytes are not a valid SMTP reply. The reply framing is lost, so the connection cannot be used any
 * more: the caller closes it (and maps this to {@link io.migo.smtp.SmtpException.Reason#PROTOCOL}).
 *
 * <p>The message shows at most {@value #EXCERPT_LENGTH} bytes of the offending line, escaped, so that a hostile or
 * broken server cannot flood logs or inject control characters into them.
 */
public final class ReplyFormatException extends RuntimeException {

  static final int EXCERPT_LENGTH = 80;

  ReplyFormatException(String problem, byte[] line, int length) {
    super(problem + ": \"" + excerpt(line, length) + "\"");
  }

  /** Printable ASCII as is; backslash, quote and everything else as escapes; "..." when cut. */
  static String excerpt(byte[] line, int length) {
    int shown = Math.min(length, EXCERPT_LENGTH);
    StringBuilder sb = new StringBuilder(shown + 8);
    for (int i = 0; i < shown; i++) {
      int b = line[i] & 0xFF;
      switch (b) {
        case '\r' -> sb.append("\\r");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        default -> {
          if (b >= 0x20 && b < 0x7F) {
            sb.append((char) b);
          } else {
            sb.append(String.format("\\x%02X", b));
          }
        }
      }
    }
    if (length > shown) {
      sb.append("...");
    }
    return sb.toString();
  }
}
