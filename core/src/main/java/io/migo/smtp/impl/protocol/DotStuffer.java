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
   * Appends the encoded form of {@code in} to {@code out}. The input is copied into an array once and scanned there:
   * several times faster than {@link Buffer#getByte} per byte, whose bounds checks the JIT cannot remove.
   */
  public void encode(Buffer in, Buffer out) {
    byte[] bytes = in.getBytes();
    int n = bytes.length;
    int runStart = 0;
    for (int i = 0; i < n; i++) {
      byte b = bytes[i];
      if (afterCr) {
        afterCr = false;
        if (b == LF) {
          continue; // the LF of a CRLF: copied with the run
        }
        // A bare CR: complete it here, then treat b normally.
        out.appendBytes(bytes, runStart, i - runStart).appendByte(LF);
        runStart = i;
      }
      if (b == CR) {
        afterCr = true;
        atLineStart = true;
      } else if (b == LF) {
        out.appendBytes(bytes, runStart, i - runStart).appendBytes(CRLF);
        runStart = i + 1;
        atLineStart = true;
      } else if (atLineStart) {
        atLineStart = false;
        if (dotStuff && b == DOT) {
          out.appendBytes(bytes, runStart, i - runStart).appendByte(DOT);
          runStart = i; // the original dot starts the next run
        }
      }
    }
    out.appendBytes(bytes, runStart, n - runStart);
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
