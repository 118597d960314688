package io.migo.smtp.impl.protocol;

/**
 * An RFC 3463 enhanced mail system status code, {@code class.subject.detail}, e.g. {@code 5.7.8}.
 *
 * <p>Servers that advertise ENHANCEDSTATUSCODES (RFC 2034) put it at the start of each reply line's text. It says
 * more than the three-digit reply code (5.1.1 "no such mailbox" vs 5.7.1 "relaying denied"), which is why
 * {@link io.migo.smtp.SmtpException} carries it.
 *
 * @param statusClass 2 (success), 4 (persistent transient failure) or 5 (permanent failure)
 * @param subject     0–999
 * @param detail      0–999
 */
public record EnhancedStatusCode(int statusClass, int subject, int detail) {

  public EnhancedStatusCode {
    if (statusClass != 2 && statusClass != 4 && statusClass != 5) {
      throw new IllegalArgumentException("class must be 2, 4 or 5: " + statusClass);
    }
    if (subject < 0 || subject > 999 || detail < 0 || detail > 999) {
      throw new IllegalArgumentException("subject and detail must be 0-999: " + subject + "." + detail);
    }
  }

  /**
   * Parses the code at the start of {@code text}: {@code c.s.d} with class 2, 4 or 5 and one to three digits for
   * subject and detail, followed by a space or the end of the text.
   *
   * <p>RFC 3463 forbids leading zeros in subject and detail; we accept them because rejecting a server's sloppy
   * code would only lose information, never protect anything.
   *
   * @return the code, or {@code null} when the text does not start with one (ordinary text is the common case, so
   *     this is not an error)
   */
  public static EnhancedStatusCode parseAtStart(String text) {
    int len = text.length();
    if (len < 5) {
      return null;
    }
    char c = text.charAt(0);
    if ((c != '2' && c != '4' && c != '5') || text.charAt(1) != '.') {
      return null;
    }
    int subjectEnd = digitsEnd(text, 2);
    if (subjectEnd < 0 || subjectEnd >= len || text.charAt(subjectEnd) != '.') {
      return null;
    }
    int detailEnd = digitsEnd(text, subjectEnd + 1);
    if (detailEnd < 0 || (detailEnd < len && text.charAt(detailEnd) != ' ')) {
      return null;
    }
    return new EnhancedStatusCode(c - '0',
        Integer.parseInt(text, 2, subjectEnd, 10),
        Integer.parseInt(text, subjectEnd + 1, detailEnd, 10));
  }

  /** The index after a run of 1–3 ASCII digits starting at {@code from}, or -1 when there is no such run. */
  private static int digitsEnd(String text, int from) {
    int i = from;
    while (i < text.length() && i - from < 4 && isDigit(text.charAt(i))) {
      i++;
    }
    int count = i - from;
    return count >= 1 && count <= 3 ? i : -1;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The wire form, e.g. {@code 5.7.8}. */
  @Override
  public String toString() {
    return statusClass + "." + subject + "." + detail;
  }
}
