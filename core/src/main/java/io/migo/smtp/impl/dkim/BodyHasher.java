package io.migo.smtp.impl.dkim;

import io.migo.smtp.DkimCanonicalization;
import io.migo.smtp.impl.protocol.ContentBytes;
import io.vertx.core.buffer.Buffer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The body hash ({@code bh=}, RFC 6376 §3.7) computed incrementally: {@link #update} takes the body in chunks split
 * anywhere, {@link #finish} returns the SHA-256 of its canonical form. What is hashed is the body as it goes on the
 * wire: a bare CR or a bare LF is read as a line end, as {@code DotStuffer} makes it CRLF, and a CR at the end of one
 * chunk with an LF at the start of the next is one line end.
 *
 * <p>Trailing empty lines are not yet known to be trailing when they are read, so they are counted, not hashed, and
 * written only when a line with content follows (both canonicalizations ignore them at the end). Canonical bytes go
 * through a small array owned by the hasher into the digest: nothing is allocated per byte or per chunk.
 *
 * <p>One instance per message; not thread-safe.
 */
public abstract class BodyHasher {

  static final byte CR = '\r';
  static final byte LF = '\n';

  private final MessageDigest digest;
  private final byte[] out = new byte[2048];
  private int used;
  /** The last byte read was a CR, which ended a line: an LF now is the rest of that CRLF. */
  boolean afterCr;
  /** The current line has had a byte that is hashed (for relaxed: other than whitespace). */
  boolean lineHasContent;
  /** Empty lines read and not yet hashed: hashed before the next line with content, dropped at the end. */
  int pendingEmptyLines;

  BodyHasher() {
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  public static BodyHasher of(DkimCanonicalization canonicalization) {
    return canonicalization == DkimCanonicalization.SIMPLE ? new SimpleBodyHasher() : new RelaxedBodyHasher();
  }

  public final void update(Buffer chunk) {
    ContentBytes bytes = ContentBytes.of(chunk);
    update(bytes.array(), bytes.offset(), bytes.length());
  }

  /** Reads {@code length} bytes of the body from {@code offset}; only reads {@code bytes}. */
  public final void update(byte[] bytes, int offset, int length) {
    for (int i = offset, end = offset + length; i < end; i++) {
      byte b = bytes[i];
      if (afterCr) {
        afterCr = false;
        if (b == LF) {
          continue;
        }
      }
      if (b == CR) {
        lineEnd();
        afterCr = true;
      } else if (b == LF) {
        lineEnd();
      } else {
        octet(b);
      }
    }
  }

  /**
   * Marks that the header block's empty line ended with a CR that may be followed by its LF at the start of the
   * body's first chunk.
   */
  void startAfterCr() {
    afterCr = true;
  }

  /** The SHA-256 of the canonical body. The hasher is spent after this. */
  public final byte[] finish() {
    end();
    flush();
    return digest.digest();
  }

  /** One octet of a line (never CR or LF). */
  abstract void octet(byte b);

  /** The current line has ended. */
  abstract void lineEnd();

  /** The body has ended (a last line without a line end may be open). */
  abstract void end();

  final void emit(byte b) {
    if (used == out.length) {
      flush();
    }
    out[used++] = b;
  }

  final void emitCrlf() {
    emit(CR);
    emit(LF);
  }

  /** The empty lines held back are not trailing after all. */
  final void emitPendingEmptyLines() {
    for (; pendingEmptyLines > 0; pendingEmptyLines--) {
      emitCrlf();
    }
  }

  private void flush() {
    digest.update(out, 0, used);
    used = 0;
  }
}
