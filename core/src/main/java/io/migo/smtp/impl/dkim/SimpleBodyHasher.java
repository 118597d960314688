package io.migo.smtp.impl.dkim;

/**
 * RFC 6376 §3.4.3 "simple": the body as it is, except that empty lines at its end are dropped, and an empty body (or
 * one of only empty lines) becomes a single CRLF.
 */
final class SimpleBodyHasher extends BodyHasher {

  /** Whether any line has been hashed. */
  private boolean hashedALine;

  @Override
  void octet(byte b) {
    if (!lineHasContent) {
      emitPendingEmptyLines();
      lineHasContent = true;
    }
    emit(b);
  }

  @Override
  void lineEnd() {
    if (lineHasContent) {
      emitCrlf();
      lineHasContent = false;
      hashedALine = true;
    } else {
      pendingEmptyLines++;
    }
  }

  @Override
  void end() {
    // The wire form ends every line with CRLF, so an open last line gets one; an empty body is one CRLF.
    if (lineHasContent || !hashedALine) {
      emitCrlf();
    }
  }
}
