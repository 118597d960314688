package io.migo.smtp.impl.protocol;

import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.vertx.core.buffer.Buffer;

/**
 * RFC 5321 §4.5.3.1.6 and RFC 5322 §2.1.1: a line of message content is at most 998 octets before its CRLF. A
 * longer line is refused before anything is sent, rather than silently folded (which would change a signed
 * message) or sent and then cut or refused by some server along the way.
 */
public final class LineLengths {

  public static final int MAX_LINE = 998;

  private LineLengths() {
  }

  /** Throws INPUT / INVALID_INPUT naming the first line that is too long; CR, LF and CRLF all end a line. */
  public static void check(Buffer content) {
    byte[] bytes = content.getBytes();
    int lineStart = 0;
    int line = 1;
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b == '\n' || b == '\r') {
        if (i - lineStart > MAX_LINE) {
          throw tooLong(line, i - lineStart);
        }
        if (b == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n') {
          i++;
        }
        lineStart = i + 1;
        line++;
      }
    }
    if (bytes.length - lineStart > MAX_LINE) {
      throw tooLong(line, bytes.length - lineStart);
    }
  }

  private static SmtpException tooLong(int line, int length) {
    return new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT,
      "line " + line + " of the message is " + length + " octets; SMTP allows at most " + MAX_LINE);
  }
}
