package io.migo.smtp.impl.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * Encodes message content for the wire, chunk by chunk, carrying its state across chunk boundaries.
 *
 * <ul>
 *   <li>Line ends: CRLF stays CRLF; a bare LF or a bare CR becomes CRLF (RFC 5321 section 2.3.8 forbids bare ones,
 *       and servers differ in how they read them — the root of SMTP smuggling).</li>
 *   <li>With {@code dotStuff} (DATA, RFC 5321 section 4.5.2): a line starting with {@code '.'} gets another
 *       {@code '.'} in front, and {@link #finish} writes the {@code .CRLF} terminator.</li>
 *   <li>Without it (BDAT, RFC 3030): no stuffing and no terminator, because BDAT frames by length.</li>
 * </ul>
 *
 * <p>Every output byte is final when it is written: a CR at the end of a chunk is written at once (as the start of
 * a CRLF) and only an LF is owed. So the size of each encoded chunk is known at once, as BDAT needs.
 *
 * <p>Runs of ordinary bytes are copied with one {@link Buffer#appendBuffer(Buffer, int, int)}; no Strings are built.
 * Not thread-safe; one instance per message, reusable after {@link #finish}.
 */
public final class DotStuffer {

  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final byte DOT = '.';
  private static final byte[] CRLF = {CR, LF};
  private static final byte[] DOT_CRLF = {DOT, CR, LF};

  private final boolean dotStuff;
  /** The next byte begins a line (true before any data). */
  private boolean atLineStart = true;
  /** The last byte written was a CR from the input: an LF must follow, from the input or from us. */
  private boolean afterCr;

  public DotStuffer(boolean dotStuff) {
    this.dotStuff = dotStuff;
  }

  /** Encodes the whole message in one go, including {@link #finish}. */
  public static Buffer encodeAll(Buffer message, boolean dotStuff) {
    Buffer out = Buffer.buffer(message.length() + 16);
    DotStuffer stuffer = new DotStuffer(dotStuff);
    stuffer.encode(message, out);
    stuffer.finish(out);
    return out;
  }

  /**
   * Appends the encoded form of {@code in} to {@code out}. Content that is already in wire form (CRLF line ends
   * only and, with dot-stuffing, no line starting with a dot: what a well-made raw message is) is appended as it
   * is, after one read-only pass over its own bytes; other content is encoded into an array in one tight loop and
   * appended with one call — several times faster than {@link Buffer#getByte} and an append per line, which matters
   * for content with LF line ends (what vertx-mail-client's encoder produces).
   */
  public void encode(Buffer in, Buffer out) {
    ContentBytes src = ContentBytes.of(in);
    if (isWireForm(src)) {
      out.appendBuffer(in);
      return;
    }
    // Worst case doubles: every byte a bare LF or CR (each becomes CRLF), or every line a lone "." (becomes "..");
    // plus the LF owed to a CR that ended the previous chunk.
    byte[] dst = new byte[src.length() * 2 + 1];
    int d = 0;
    byte[] bytes = src.array();
    for (int i = src.offset(), end = src.end(); i < end; i++) {
      byte b = bytes[i];
      if (afterCr) {
        afterCr = false;
        if (b == LF) {
          dst[d++] = LF; // the LF of a CRLF
          continue;
        }
        dst[d++] = LF; // a bare CR: complete it, then treat b normally
      }
      if (b == CR) {
        dst[d++] = CR;
        afterCr = true;
        atLineStart = true;
      } else if (b == LF) {
        dst[d++] = CR;
        dst[d++] = LF;
        atLineStart = true;
      } else {
        if (atLineStart) {
          atLineStart = false;
          if (dotStuff && b == DOT) {
            dst[d++] = DOT;
          }
        }
        dst[d++] = b;
      }
    }
    out.appendBytes(dst, 0, d);
  }

  /**
   * Whether encoding {@code src} would change none of its bytes (from the current state); if so, the state is
   * advanced as {@link #encode} would have left it. The same moves as the encoding loop, without its writes.
   */
  private boolean isWireForm(ContentBytes src) {
    boolean cr = afterCr;
    boolean lineStart = atLineStart;
    byte[] bytes = src.array();
    for (int i = src.offset(), end = src.end(); i < end; i++) {
      byte b = bytes[i];
      if (cr) {
        if (b != LF) {
          return false; // a bare CR
        }
        cr = false;
        continue;
      }
      if (b == CR) {
        cr = true;
        lineStart = true;
      } else if (b == LF) {
        return false; // a bare LF
      } else if (lineStart) {
        if (dotStuff && b == DOT) {
          return false;
        }
        lineStart = false;
      }
    }
    afterCr = cr;
    atLineStart = lineStart;
    return true;
  }

  /**
   * Completes the content: resolves a trailing CR, ends an unfinished last line with CRLF, and with dot-stuffing
   * appends the {@code .CRLF} terminator (an empty message gives just {@code .CRLF}). Resets the state so the
   * instance can encode another message.
   */
  public void finish(Buffer out) {
    if (afterCr) {
      out.appendByte(LF);
    } else if (!atLineStart) {
      out.appendBytes(CRLF);
    }
    if (dotStuff) {
      out.appendBytes(DOT_CRLF);
    }
    atLineStart = true;
    afterCr = false;
  }
}
