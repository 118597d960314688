package io.migo.smtp.impl.dkim;

import io.migo.smtp.DkimCanonicalization;

import java.io.ByteArrayOutputStream;

/** RFC 6376 §3.4.1 and §3.4.2: one header field in its canonical form, CRLF included. */
final class HeaderCanonicalizer {

  private HeaderCanonicalizer() {
  }

  static void write(DkimCanonicalization canonicalization, byte[] field, ByteArrayOutputStream out) {
    if (canonicalization == DkimCanonicalization.SIMPLE) {
      out.writeBytes(field);
    } else {
      relaxed(field, out);
    }
  }

  /**
   * Name in lower case; the value unfolded, each run of whitespace one space, none at its start or end; no
   * whitespace around the colon.
   */
  static void relaxed(byte[] field, ByteArrayOutputStream out) {
    int colon = 0;
    while (colon < field.length && field[colon] != ':') {
      colon++;
    }
    int nameEnd = colon;
    while (nameEnd > 0 && isWsp(field[nameEnd - 1])) {
      nameEnd--;
    }
    for (int i = 0; i < nameEnd; i++) {
      byte b = field[i];
      out.write(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
    }
    out.write(':');
    boolean started = false;
    boolean space = false;
    for (int i = colon + 1; i < field.length; i++) {
      byte b = field[i];
      if (b == '\r' || b == '\n') {
        continue; // unfolding: the CRLF goes, the whitespace after it stays (and is collapsed)
      }
      if (isWsp(b)) {
        space = started;
        continue;
      }
      if (space) {
        out.write(' ');
        space = false;
      }
      out.write(b);
      started = true;
    }
    out.write('\r');
    out.write('\n');
  }

  private static boolean isWsp(byte b) {
    return b == ' ' || b == '\t';
  }
}
