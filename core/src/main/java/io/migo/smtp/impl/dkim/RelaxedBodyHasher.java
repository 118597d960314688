package io.migo.smtp.impl.dkim;

/**
 * RFC 6376 §3.4.4 "relaxed": whitespace at the end of a line is dropped, a run of whitespace inside a line becomes one
 * space, empty lines at the end of the body are dropped (a line of only whitespace is empty), and an empty body stays
 * empty.
 */
final class RelaxedBodyHasher extends BodyHasher {

  private static final byte SP = ' ';
  private static final byte HTAB = '\t';

  /** Whitespace has been read since the last octet hashed: one space, if more of the line follows. */
  private boolean pendingSpace;

  @Override
  void octet(byte b) {
    if (b == SP || b == HTAB) {
      pendingSpace = true;
      return;
    }
    if (!lineHasContent) {
      emitPendingEmptyLines();
      lineHasContent = true;
    }
    if (pendingSpace) {
      emit(SP);
      pendingSpace = false;
    }
    emit(b);
  }

  @Override
  void lineEnd() {
    pendingSpace = false;
    if (lineHasContent) {
      emitCrlf();
      lineHasContent = false;
    } else {
      pendingEmptyLines++;
    }
  }

  @Override
  void end() {
    if (lineHasContent) {
      emitCrlf();
    }
  }
}
