package io.migo.smtp.impl.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Checks on the mailboxes that go into MAIL FROM and RCPT TO. Not a full RFC 5321 mailbox parser: it refuses what
 * would break the command line or be ambiguous, and leaves finer judgement to the server, which has the last word.
 */
public final class Addresses {

  /** RFC 5321 section 4.5.3.1.3: a path is at most 256 octets including the angle brackets. */
  static final int MAX_ADDRESS_OCTETS = 254;

  private Addresses() {
  }

  /**
   * Refuses an address that is empty, longer than 254 octets (UTF-8), holds control characters, angle brackets
   * (callers give the bare address; we add the brackets) or whitespace (which would split the command's
   * parameters; quoted local parts with spaces are therefore not supported), or is not {@code local@domain} with
   * both parts non-empty.
   *
   * @param field           names the value in the error, e.g. {@code "recipient"}
   * @param allowPostmaster accept the bare {@code postmaster} (any case), which RFC 5321 section 4.1.1.3 allows as
   *                        a recipient only
   * @throws io.migo.smtp.SmtpException phase INPUT, reason INVALID_INPUT
   */
  public static void validateMailbox(String field, String address, boolean allowPostmaster) {
    InputChecks.requireNonEmpty(field, address);
    InputChecks.rejectControls(field, address);
    if (address.getBytes(StandardCharsets.UTF_8).length > MAX_ADDRESS_OCTETS) {
      throw InputChecks.invalid(field + " is longer than " + MAX_ADDRESS_OCTETS + " octets");
    }
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      if (c == '<' || c == '>') {
        throw InputChecks.invalid(field + " must be a bare address without angle brackets: " + address);
      }
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        throw InputChecks.invalid(field + " contains whitespace: " + address);
      }
    }
    if (allowPostmaster && address.equalsIgnoreCase("postmaster")) {
      return;
    }
    // The last '@': a quoted local part may contain one, a domain never does.
    int at = address.lastIndexOf('@');
    if (at <= 0 || at == address.length() - 1) {
      throw InputChecks.invalid(field + " is not of the form local@domain: " + address);
    }
  }

  /** Whether the address is pure ASCII; if not, the server must offer SMTPUTF8 and MAIL must declare it. */
  public static boolean isAscii(String address) {
    for (int i = 0; i < address.length(); i++) {
      if (address.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
