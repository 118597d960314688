package io.migo.smtp.impl.protocol;


/**
 * The grammar of an RFC 5321 section 4.1.2 {@code Mailbox}, widened by RFC 6531 section 3.3 (SMTPUTF8) to UTF-8 in
 * atext, qtext and domain labels:
 *
 * <pre>
 * Mailbox       = Local-part "@" ( Domain / address-literal )
 * Local-part    = Dot-string / Quoted-string        ; at most 64 octets
 * Dot-string    = Atom *("." Atom)                 ; Atom = 1*atext (RFC 5322 atext, or non-ASCII)
 * Quoted-string = DQUOTE *( qtextSMTP / "\" %d32-126 ) DQUOTE
 * Domain        = sub-domain *("." sub-domain)     ; at most 255 octets
 * sub-domain    = Let-dig [Ldh-str] / U-label
 * address-literal = "[" ( IPv4 / "IPv6:" IPv6 / Standardized-tag ":" 1*dcontent ) "]"
 * </pre>
 *
 * Only the syntax: whether the mailbox exists, and whether a General-address-literal's tag means anything, is the
 * server's call. {@link Addresses} runs the checks that apply to the whole string first (controls, whitespace other
 * than a quoted ASCII space, angle brackets, total length), so this class sees none of those.
 *
 * <p>Each problem is phrased to follow the field's name ({@code "recipient" + " has two '@'"}).
 */
final class MailboxSyntax {

  /** RFC 5321 section 4.5.3.1.1. */
  static final int MAX_LOCAL_PART_OCTETS = 64;
  /** RFC 5321 section 4.5.3.1.2. */
  static final int MAX_DOMAIN_OCTETS = 255;
  /** RFC 1035 section 2.3.4, for ASCII labels (an A-label's limit is not the U-label's UTF-8 length). */
  static final int MAX_LABEL_OCTETS = 63;

  /** RFC 5322 section 3.2.3 atext, besides letters and digits. */
  private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

  private MailboxSyntax() {
  }

  /** What is wrong with {@code address}, or {@code null} when it is a mailbox. */
  static String problem(String address) {
    int at;
    if (address.startsWith("\"")) {
      int close = closingQuote(address);
      if (close < 0) {
        return quotedProblem(address);
      }
      at = close + 1;
      if (at == address.length()) {
        return "is not of the form local@domain (no '@' after the quoted local part)";
      }
      if (address.charAt(at) != '@') {
        return "has characters between its quoted local part and the '@'";
      }
    } else {
      at = address.indexOf('@');
      if (at < 0) {
        return "is not of the form local@domain (it has no '@')";
      }
      if (at == 0) {
        return "has an empty local part (nothing before the '@')";
      }
    }
    String local = address.substring(0, at);
    String domain = address.substring(at + 1);
    int localOctets = octets(local);
    if (localOctets > MAX_LOCAL_PART_OCTETS) {
      return "has a local part of " + localOctets + " octets, more than the " + MAX_LOCAL_PART_OCTETS + " RFC 5321 "
          + "allows";
    }
    if (!local.startsWith("\"")) {
      String problem = dotStringProblem(local);
      if (problem != null) {
        return problem;
      }
    }
    return domainPart(domain);
  }

  // ------------------------------------------------------------------ local part

  /** The index of the quote that ends the quoted string at index 0, or -1 when it is malformed or unterminated. */
  private static int closingQuote(String s) {
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        return i;
      }
      if (c == '\\') {
        if (i + 1 >= s.length() || s.charAt(i + 1) < 0x20 || s.charAt(i + 1) > 0x7E) {
          return -1;
        }
        i++;
      }
    }
    return -1;
  }

  /** Why {@link #closingQuote} found no end: a bad quoted-pair, or no closing quote at all. */
  private static String quotedProblem(String s) {
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        break;
      }
      if (c == '\\') {
        if (i + 1 >= s.length() || s.charAt(i + 1) < 0x20 || s.charAt(i + 1) > 0x7E) {
          return "has a '\\' at index " + i + " not followed by a printable ASCII character (RFC 5321 "
              + "quoted-pairSMTP)";
        }
        i++;
      }
    }
    return "has a quoted local part without its closing '\"'";
  }

  private static String dotStringProblem(String local) {
    if (local.charAt(0) == '.') {
      return "has a local part starting with '.' (quote it, as in \".bob\"@example.com)";
    }
    if (local.charAt(local.length() - 1) == '.') {
      return "has a local part ending with '.' (quote it, as in \"bob.\"@example.com)";
    }
    if (local.contains("..")) {
      return "has two dots in a row in its local part (quote it, as in \"b..ob\"@example.com)";
    }
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      if (c == ' ') {
        return "has a space outside quotes (quote the local part, as in \"bob smith\"@example.com)";
      }
      if (c < 0x80 && c != '.' && !isAtext(c)) {
        return "has a character not allowed in an unquoted local part ('" + c + "' at index " + i
            + "; quote the local part to use it)";
      }
    }
    return null;
  }

  private static boolean isAtext(char c) {
    return isLetDig(c) || ATEXT_SPECIALS.indexOf(c) >= 0;
  }

  // ------------------------------------------------------------------ domain

  private static String domainPart(String domain) {
    if (domain.isEmpty()) {
      return "has an empty domain (nothing after the '@')";
    }
    if (domain.indexOf('@') >= 0) {
      long ats = domain.chars().filter(c -> c == '@').count() + 1;
      return "has " + (ats == 2 ? "two" : String.valueOf(ats)) + " '@' (an '@' in the local part must be quoted, "
          + "as in \"a@b\"@example.com)";
    }
    if (domain.charAt(0) == '[') {
      return addressLiteral(domain);
    }
    int octets = octets(domain);
    if (octets > MAX_DOMAIN_OCTETS) {
      return "has a domain of " + octets + " octets, more than the " + MAX_DOMAIN_OCTETS + " RFC 5321 allows";
    }
    if (domain.charAt(0) == '.') {
      return "has a domain starting with '.'";
    }
    if (domain.charAt(domain.length() - 1) == '.') {
      return "has a domain ending with '.'";
    }
    // Label by label in place: a send validates its envelope every time, so this path allocates nothing.
    for (int start = 0; ; ) {
      int dot = domain.indexOf('.', start);
      int end = dot < 0 ? domain.length() : dot;
      String problem = labelProblem(domain, start, end);
      if (problem != null) {
        return problem;
      }
      if (dot < 0) {
        return null;
      }
      start = dot + 1;
    }
  }

  /** A {@code Let-dig [Ldh-str]} label, or (RFC 6531) a U-label: letters, digits and marks of any script, hyphens. */
  private static String labelProblem(String domain, int start, int end) {
    if (start == end) {
      return "has two dots in a row in its domain";
    }
    if (domain.charAt(start) == '-') {
      return "has a domain label starting with '-' (" + domain.substring(start, end) + ")";
    }
    if (domain.charAt(end - 1) == '-') {
      return "has a domain label ending with '-' (" + domain.substring(start, end) + ")";
    }
    boolean ascii = true;
    for (int i = start; i < end; ) {
      int cp = domain.codePointAt(i);
      if (cp >= 0x80) {
        ascii = false;
        if (!isULabelCodePoint(cp)) {
          return "has a character not allowed in a domain name (" + String.format("U+%04X", cp) + " in '"
              + domain.substring(start, end) + "')";
        }
      } else if (!isLetDig(cp) && cp != '-') {
        return "has a character not allowed in a domain name ('" + (char) cp + "' in '" + domain.substring(start, end)
            + "'; letters, digits and '-' only)";
      }
      i += Character.charCount(cp);
    }
    if (ascii && end - start > MAX_LABEL_OCTETS) {
      return "has a domain label of " + (end - start) + " characters, more than the " + MAX_LABEL_OCTETS
          + " DNS allows";
    }
    return null;
  }

  /**
   * Letters, digits and combining marks (scripts such as Devanagari need them), and the joiners ZWNJ/ZWJ that
   * IDNA2008 permits in context. Not symbols, punctuation or invisible format characters (bidi overrides), which no
   * registry accepts. The exact IDNA2008 tables stay with the registries and the server.
   */
  private static boolean isULabelCodePoint(int cp) {
    if (cp == 0x200C || cp == 0x200D) {
      return true;
    }
    int type = Character.getType(cp);
    return Character.isLetterOrDigit(cp) || type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK;
  }

  /** {@code [IPv4]}, {@code [IPv6:...]} (tag in any case), or a General-address-literal {@code [Tag:content]}. */
  private static String addressLiteral(String literal) {
    if (literal.charAt(literal.length() - 1) != ']') {
      return "has an address literal that does not end with ']'";
    }
    String inner = literal.substring(1, literal.length() - 1);
    if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
      return EhloNames.isValid(literal) ? null : "has an invalid IPv6 address literal (" + literal + ")";
    }
    int colon = inner.indexOf(':');
    if (colon < 0) {
      return EhloNames.isValid(literal) ? null
          : "has an invalid IPv4 address literal (" + literal + "; four numbers from 0 to 255 separated by dots)";
    }
    return generalLiteralProblem(inner.substring(0, colon), inner.substring(colon + 1), literal);
  }

  /** {@code Standardized-tag ":" 1*dcontent}: tag an Ldh-str, content printable ASCII except "[", "\", "]". */
  private static String generalLiteralProblem(String tag, String content, String literal) {
    boolean tagOk = !tag.isEmpty() && isLetDig(tag.charAt(tag.length() - 1))
        && tag.chars().allMatch(c -> isLetDig(c) || c == '-');
    boolean contentOk = !content.isEmpty()
        && content.chars().allMatch(c -> c >= 33 && c <= 126 && c != '[' && c != '\\' && c != ']');
    return tagOk && contentOk ? null
        : "has an address literal that is neither IPv4, IPv6 nor Tag:content (" + literal + ")";
  }

  // ------------------------------------------------------------------ characters

  private static boolean isLetDig(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /** The length of {@code s} in UTF-8, as {@code s.getBytes(UTF_8).length} (a lone surrogate counts as its '?'). */
  static int octets(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        n++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
