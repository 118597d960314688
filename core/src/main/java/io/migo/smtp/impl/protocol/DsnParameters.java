package io.migo.smtp.impl.protocol;

import io.migo.smtp.DsnOptions;
import io.migo.smtp.DsnOptions.Notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * RFC 3461's parameters for MAIL ({@code RET}, {@code ENVID}) and RCPT ({@code NOTIFY}, {@code ORCPT}), from
 * {@link DsnOptions}. Caller text goes out only as xtext (§4: {@code +XX} for every octet outside {@code !}–{@code ~}
 * and for {@code +} and {@code =}), so it can never hold a space or a line end.
 */
public final class DsnParameters {

  /** RFC 3461 §4.4: ENVID may be up to 100 characters. */
  static final int MAX_ENVELOPE_ID = 100;
  /** RFC 3461 §4.2: the whole ORCPT parameter may be up to 500 characters. */
  static final int MAX_ORCPT = 500;
  private static final String ORCPT_PREFIX = "ORCPT=rfc822;";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private DsnParameters() {
  }

  /** Refuses, before anything is sent, an envelope id that is empty, not printable ASCII, or too long as xtext. */
  public static void validate(DsnOptions dsn) {
    dsn.envelopeId().ifPresent(DsnParameters::envelopeId);
  }

  /** {@code [RET=FULL|HDRS] [ENVID=xtext]}. */
  public static List<String> mail(DsnOptions dsn) {
    List<String> params = new ArrayList<>(2);
    dsn.returnContent().ifPresent(r -> params.add(r == DsnOptions.Return.FULL ? "RET=FULL" : "RET=HDRS"));
    dsn.envelopeId().ifPresent(id -> params.add("ENVID=" + envelopeId(id)));
    return params;
  }

  /**
   * {@code [NOTIFY=NEVER|event,...] [ORCPT=rfc822;xtext]}. ORCPT is left out for a non-ASCII address, which the
   * {@code rfc822} type cannot carry.
   */
  public static List<String> rcpt(DsnOptions dsn, String recipient) {
    List<String> params = new ArrayList<>(2);
    dsn.notifyOn().ifPresent(events -> params.add("NOTIFY=" + notifyList(events)));
    if (dsn.originalRecipients() && Addresses.isAscii(recipient)) {
      String orcpt = ORCPT_PREFIX + xtext(recipient);
      if (orcpt.length() > MAX_ORCPT) {
        throw InputChecks.invalid("the DSN original recipient is " + orcpt.length() + " characters as xtext; RFC 3461 "
          + "allows " + MAX_ORCPT + ": " + recipient);
      }
      params.add(orcpt);
    }
    return params;
  }

  private static String notifyList(Set<Notify> events) {
    if (events.isEmpty()) {
      return "NEVER";
    }
    StringBuilder sb = new StringBuilder();
    for (Notify event : events) {
      sb.append(sb.length() == 0 ? "" : ",").append(event.name());
    }
    return sb.toString();
  }

  private static String envelopeId(String id) {
    InputChecks.requireNonEmpty("DSN envelope id", id);
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        throw InputChecks.invalid("the DSN envelope id must be printable ASCII; it has "
          + String.format("U+%04X", (int) c) + " at index " + i);
      }
    }
    String encoded = xtext(id);
    if (encoded.length() > MAX_ENVELOPE_ID) {
      throw InputChecks.invalid("the DSN envelope id is " + encoded.length() + " characters as xtext; RFC 3461 allows "
        + MAX_ENVELOPE_ID);
    }
    return encoded;
  }

  /** RFC 3461 §4 xtext of ASCII text. */
  static String xtext(String ascii) {
    StringBuilder sb = new StringBuilder(ascii.length() + 8);
    for (int i = 0; i < ascii.length(); i++) {
      char c = ascii.charAt(i);
      if (c >= '!' && c <= '~' && c != '+' && c != '=') {
        sb.append(c);
      } else {
        sb.append('+').append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
      }
    }
    return sb.toString();
  }
}
