package io.migo.smtp.impl.protocol;

import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.vertx.core.buffer.Buffer;

/**
 * One pass over message content before anything is sent, for the two rules that depend on its bytes:
 *
 * <ul>
 *   <li>RFC 5321 §4.5.3.1.6 and RFC 5322 §2.1.1: a line is at most 998 octets before its CRLF. A longer line is
 *       refused, rather than silently folded (which would change a signed message) or sent and then cut or refused
 *       by some server along the way.</li>
 *   <li>RFC 6152: content with 8-bit octets (0x80 and above) must be declared with {@code BODY=8BITMIME}, and may go
 *       only to a server that offers 8BITMIME. The scan says whether there are any; the caller decides.</li>
 * </ul>
 */
public final class ContentScan {

  public static final int MAX_LINE = 998;

  private ContentScan() {
  }

  /**
   * Throws INPUT / INVALID_INPUT naming the first line that is too long (CR, LF and CRLF all end a line); otherwise
   * returns whether the content has an 8-bit octet.
   */
  public static boolean scan(Buffer content) {
    ContentBytes view = ContentBytes.of(content);
    byte[] bytes = view.array();
    int end = view.end();
    int lineStart = view.offset();
    int line = 1;
    // OR of every octet: its top bit is set when any octet is 8-bit; no branch in the loop for it.
    int all = 0;
    for (int i = view.offset(); i < end; i++) {
      byte b = bytes[i];
      all |= b;
      if (b == '\n' || b == '\r') {
        if (i - lineStart > MAX_LINE) {
          throw tooLong(line, i - lineStart);
        }
        if (b == '\r' && i + 1 < end && bytes[i + 1] == '\n') {
          i++;
        }
        lineStart = i + 1;
        line++;
      }
    }
    if (end - lineStart > MAX_LINE) {
      throw tooLong(line, end - lineStart);
    }
    return (all & 0x80) != 0;
  }

  private static SmtpException tooLong(int line, int length) {
    return new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT,
      "line " + line + " of the message is " + length + " octets; SMTP allows at most " + MAX_LINE);
  }
}
