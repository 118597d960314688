package io.migo.smtp.impl.protocol;

import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import java.util.List;

/**
 * One complete server reply: the three-digit code and the text of each line, parsed once by {@link ReplyDecoder}
 * so that nothing downstream re-parses strings.
 *
 * <p>Immutable.
 */
public final class Reply {

  private final int code;
  private final List<String> lines;
  private final EnhancedStatusCode enhancedCode;

  /**
   * @param code  200–599 (SMTP uses no 1yz replies, RFC 5321 section 4.2.1)
   * @param lines the text of each line after the code and its separator; at least one, possibly empty strings
   */
  public Reply(int code, List<String> lines) {
    if (code < 200 || code > 599) {
      throw new IllegalArgumentException("reply code out of range: " + code);
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("a reply has at least one line");
    }
    this.code = code;
    this.lines = List.copyOf(lines);
    this.enhancedCode = enhancedCodeOf(this.lines.get(0));
  }

  public static Reply of(int code, String... lines) {
    return new Reply(code, List.of(lines));
  }

  /**
   * The enhanced code counts only when its class agrees with the reply code's first digit (RFC 3463 section 2):
   * {@code 250 5.1.1 x} is a server bug or plain text, and reporting 5.1.1 for a success would mislead.
   */
  private EnhancedStatusCode enhancedCodeOf(String text) {
    EnhancedStatusCode parsed = EnhancedStatusCode.parseAtStart(text);
    return parsed != null && parsed.statusClass() == code / 100 ? parsed : null;
  }

  public int code() {
    return code;
  }

  /** The text of each line after the code and its separator (possibly empty); never empty itself. */
  public List<String> lines() {
    return lines;
  }

  /** The RFC 3463 code at the start of the first line, or {@code null} when absent or of the wrong class. */
  public EnhancedStatusCode enhancedCode() {
    return enhancedCode;
  }

  /**
   * The text for error messages: the lines joined with single spaces, each line's own enhanced code prefix removed
   * (servers repeat it on every line), empty lines skipped.
   */
  public String message() {
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      String text = enhancedCodeOf(line) == null ? line : stripCode(line);
      if (!text.isEmpty()) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(text);
      }
    }
    return sb.toString();
  }

  /** Removes {@code c.s.d} and the single space after it, if any. */
  private static String stripCode(String line) {
    int space = line.indexOf(' ');
    return space < 0 ? "" : line.substring(space + 1);
  }

  /** 2yz: the command succeeded. */
  public boolean isPositiveCompletion() {
    return code / 100 == 2;
  }

  /** 3yz: the server waits for more (354 after DATA, 334 during AUTH). */
  public boolean isPositiveIntermediate() {
    return code / 100 == 3;
  }

  /** 4yz: failed now; the same command may succeed later. */
  public boolean isTransientNegative() {
    return code / 100 == 4;
  }

  /** 5yz: failed; repeating the same command will fail again. */
  public boolean isPermanentNegative() {
    return code / 100 == 5;
  }

  /**
   * An exception describing this reply as the cause of a failure.
   *
   * @param what what was refused, e.g. {@code "MAIL FROM refused"}; the message is {@code what + ": " + message()}
   */
  public SmtpException toException(SmtpPhase phase, SmtpException.Reason reason, String what) {
    return new SmtpException(phase, reason, what + ": " + message(), code,
        enhancedCode == null ? null : enhancedCode.toString(), lines, null);
  }

  /** The lines as on the wire, on one line for logs: {@code 250-mail.example.com 250 SIZE 1000}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    int last = lines.size() - 1;
    for (int i = 0; i <= last; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(code);
      String text = lines.get(i);
      if (i < last) {
        sb.append('-').append(text);
      } else if (!text.isEmpty()) {
        sb.append(' ').append(text);
      }
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Reply r && r.code == code && r.lines.equals(lines);
  }

  @Override
  public int hashCode() {
    return 31 * code + lines.hashCode();
  }
}
