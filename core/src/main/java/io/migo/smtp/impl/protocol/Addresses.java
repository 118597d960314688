package io.migo.smtp.impl.protocol;


/**
 * The one check of the mailboxes that go into MAIL FROM and RCPT TO, wherever they come from ({@link
 * io.migo.smtp.Envelope}, a {@code MailMessage}'s From/To/Cc/Bcc, the command builder): RFC 5321's {@code Mailbox}
 * grammar with RFC 6531's UTF-8 ({@link MailboxSyntax}), plus the few refusals that keep the command line safe.
 * Whether the mailbox exists is the server's call.
 */
public final class Addresses {

  /** RFC 5321 section 4.5.3.1.3: a path is at most 256 octets including the angle brackets. */
  static final int MAX_ADDRESS_OCTETS = 254;

  private Addresses() {
  }

  /**
   * Refuses what is not an RFC 5321 mailbox ({@code local@domain} or {@code local@[address-literal]}, the local part
   * a dot-string or a quoted string, at most 64 octets, the domain at most 255, the whole at most 254, all in
   * UTF-8), and, stricter than the grammar because they could change how the line is read: any control character
   * (C0, DEL, C1), any whitespace but an ASCII space inside a quoted local part, angle brackets even when quoted (a
   * server that ends the path at the first {@code '>'} would read the rest as parameters), and unpaired surrogates.
   * A quoted space is safe: we build {@code <...>} around the address ourselves.
   *
   * <p>The message names the field and the problem, then the address, e.g. {@code "recipient has two '@' (...):
   * bob@@x"}. Control characters are named by code and the value not echoed.
   *
   * @param field           names the value in the error, e.g. {@code "recipient"}
   * @param allowPostmaster accept the bare {@code postmaster} (any case), which RFC 5321 section 4.1.1.3 allows as
   *                        a recipient only
   * @throws io.migo.smtp.SmtpException phase INPUT, reason INVALID_INPUT
   */
  public static void validateMailbox(String field, String address, boolean allowPostmaster) {
    InputChecks.requireNonEmpty(field, address);
    InputChecks.rejectControls(field, address);
    rejectUnsafeCharacters(field, address);
    if (MailboxSyntax.octets(address) > MAX_ADDRESS_OCTETS) {
      throw InputChecks.invalid(field + " is longer than " + MAX_ADDRESS_OCTETS + " octets: " + address);
    }
    if (allowPostmaster && address.equalsIgnoreCase("postmaster")) {
      return;
    }
    String problem = MailboxSyntax.problem(address);
    if (problem != null) {
      throw InputChecks.invalid(field + " " + problem + ": " + address);
    }
  }

  /** What no part of a mailbox may hold, quoted or not, checked before the grammar so that it sees none of it. */
  private static void rejectUnsafeCharacters(String field, String address) {
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      if (c == '<' || c == '>') {
        throw InputChecks.invalid(field + " must be a bare address without angle brackets: " + address);
      }
      if (Character.isSurrogate(c)) {
        boolean paired = Character.isHighSurrogate(c) && i + 1 < address.length()
            && Character.isLowSurrogate(address.charAt(i + 1));
        if (!paired) {
          throw InputChecks.invalid(field + " contains an unpaired UTF-16 surrogate at index " + i);
        }
        i++;
        continue;
      }
      if (c >= 0x80 && c <= 0x9F) {
        throw InputChecks.invalid(field + " contains a control character (" + String.format("U+%04X", (int) c)
            + ") at index " + i);
      }
      if (c >= 0x80 && (Character.isWhitespace(c) || Character.isSpaceChar(c))) {
        throw InputChecks.invalid(field + " contains whitespace (" + String.format("U+%04X", (int) c) + ") at index "
            + i + ": " + address);
      }
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
