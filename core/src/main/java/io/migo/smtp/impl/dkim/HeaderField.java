package io.migo.smtp.impl.dkim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One header field as it goes on the wire: its name and its bytes from the name to the CRLF that ends its last line,
 * continuation lines included. {@link #parse} splits a header block whose line ends are already CRLF.
 */
public record HeaderField(String name, byte[] bytes) {

  /** The fields of {@code block} (CRLF line ends; the empty line that ends the block excluded), in order. */
  public static List<HeaderField> parse(byte[] block, int length) {
    List<HeaderField> fields = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < length) {
      int lineEnd = indexOfCrlf(block, i, length);
      int next = lineEnd + 2;
      // A field goes on while the next line starts with whitespace (RFC 5322 §2.2.3 folding).
      if (next < length && (block[next] == ' ' || block[next] == '\t')) {
        i = next;
        continue;
      }
      fields.add(field(block, start, Math.min(next, length)));
      start = next;
      i = next;
    }
    return fields;
  }

  /** The field's name is matched without regard to case (RFC 5322 §1.2.2). */
  public boolean hasName(String other) {
    return name.equalsIgnoreCase(other);
  }

  private static HeaderField field(byte[] block, int start, int end) {
    int colon = start;
    while (colon < end && block[colon] != ':') {
      colon++;
    }
    int nameEnd = colon;
    // RFC 5322 obsolete syntax allowed whitespace before the colon; relaxed canonicalization drops it too.
    while (nameEnd > start && (block[nameEnd - 1] == ' ' || block[nameEnd - 1] == '\t')) {
      nameEnd--;
    }
    byte[] bytes = new byte[end - start];
    System.arraycopy(block, start, bytes, 0, bytes.length);
    return new HeaderField(new String(block, start, nameEnd - start, StandardCharsets.ISO_8859_1), bytes);
  }

  private static int indexOfCrlf(byte[] block, int from, int length) {
    for (int i = from; i + 1 < length; i++) {
      if (block[i] == '\r' && block[i + 1] == '\n') {
        return i;
      }
    }
    return length;
  }
}
