package io.migo.smtp.impl.dkim;

import java.util.List;

/**
 * Writes the DKIM-Signature field: tags in a fixed order, folded so that no line is longer than 76 octets (well under
 * RFC 5322's 78-character advice), with {@code b=} last. {@link #template} is the field as signed, ending with an empty
 * {@code b=}; {@link #withSignature} appends the value, folded — RFC 6376 lets whitespace fall anywhere in a base64
 * value, and a verifier removes the whole value, folding included, before it checks, so the signed bytes are the
 * template's.
 */
final class SignatureField {

  static final String NAME = "DKIM-Signature:";
  private static final int WIDTH = 76;
  private static final String FOLD = "\r\n ";

  private final StringBuilder text = new StringBuilder(512).append(NAME);
  private int lineStart;

  /** Appends {@code tag=value;}, on this line if it fits, else on the next. */
  SignatureField tag(String name, String value) {
    piece(name + "=" + value + ";", true);
    return this;
  }

  /** {@code h=a:b:c;}, folded between names where needed (h= allows folding around its colons). */
  SignatureField headers(List<String> names) {
    for (int i = 0; i < names.size(); i++) {
      String piece = (i == 0 ? "h=" : ":") + names.get(i) + (i == names.size() - 1 ? ";" : "");
      piece(piece, i == 0);
    }
    return this;
  }

  /** The field ending with {@code " b="}, as it is signed. */
  String template() {
    piece("b=", true);
    return text.toString();
  }

  /** The template with the signature appended, folded at {@link #WIDTH}. */
  static String withSignature(String template, String signature) {
    StringBuilder out = new StringBuilder(template.length() + signature.length() + 16).append(template);
    int column = template.length() - template.lastIndexOf('\n') - 1;
    int i = 0;
    while (i < signature.length()) {
      int room = WIDTH - column;
      if (room <= 0) {
        out.append(FOLD);
        column = 1;
        continue;
      }
      int end = Math.min(signature.length(), i + room);
      out.append(signature, i, end);
      column += end - i;
      i = end;
    }
    return out.toString();
  }

  private void piece(String piece, boolean spaced) {
    int column = text.length() - lineStart;
    int added = piece.length() + (spaced ? 1 : 0);
    if (column + added > WIDTH && column > NAME.length()) {
      text.append(FOLD);
      lineStart = text.length() - 1;
    } else if (spaced) {
      text.append(' ');
    }
    text.append(piece);
  }
}
