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
 * <p>No Strings are built, and content that needs no change is not copied (see {@link #encode(Buffer)}).
 * Not thread-safe; one instance per message, reusable after {@link #finish}.
 */
public final class DotStuffer {

  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final byte DOT = '.';
  /**
   * What {@link #finish} returns, by how the content ended: at a line start, after a CR (its LF is owed), mid-line.
   * Read only: each write takes its own view of them.
   */
  private static final Buffer[] ENDED = {WireBytes.readOnly(""), WireBytes.readOnly("\n"), WireBytes.readOnly("\r\n")};
  private static final Buffer[] TERMINATED = {WireBytes.readOnly(".\r\n"), WireBytes.readOnly("\n.\r\n"),
    WireBytes.readOnly("\r\n.\r\n")};

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

  /** Appends the encoded form of {@code in} to {@code out} (see {@link #encode(Buffer)}). */
  public void encode(Buffer in, Buffer out) {
    out.appendBuffer(encode(in));
  }

  /**
   * The encoded form of {@code in}. Content that is already in wire form (CRLF line ends only and, with
   * dot-stuffing, no line starting with a dot: what a well-made raw message is) is returned as it is — the same
   * buffer, not a copy — after one read-only pass over its own bytes. Other content (LF line ends: what
   * vertx-mail-client's encoder produces) is encoded in one tight loop into an array of exactly the encoded size,
   * which the returned buffer wraps: several times faster than {@link Buffer#getByte} and an append per line, and
   * the only copy of the content this client makes.
   */
  public Buffer encode(Buffer in) {
    ContentBytes src = ContentBytes.of(in);
    int added = addedBytes(src);
    if (added == 0) {
      return in;
    }
    byte[] dst = new byte[src.length() + added];
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
    return WireBytes.wrap(dst, d);
  }

  /**
   * How many bytes encoding {@code src} adds (from the current state): one per bare LF or bare CR (each becomes
   * CRLF, counting the LF owed to a CR that ended the previous chunk) and, with dot-stuffing, one per line that
   * starts with a dot. When none, the state is advanced as {@link #encode} would have left it (the content is
   * used as it is); otherwise the state is untouched, for the encoding loop. The same moves as that loop, without
   * its writes.
   */
  private int addedBytes(ContentBytes src) {
    boolean cr = afterCr;
    boolean lineStart = atLineStart;
    int added = 0;
    byte[] bytes = src.array();
    for (int i = src.offset(), end = src.end(); i < end; i++) {
      byte b = bytes[i];
      if (cr) {
        cr = false;
        if (b == LF) {
          continue;
        }
        added++; // a bare CR
      }
      if (b == CR) {
        cr = true;
        lineStart = true;
      } else if (b == LF) {
        added++; // a bare LF
        lineStart = true;
      } else if (lineStart) {
        lineStart = false;
        if (dotStuff && b == DOT) {
          added++;
        }
      }
    }
    if (added == 0) {
      afterCr = cr;
      atLineStart = lineStart;
    }
    return added;
  }

  /**
   * Completes the content: resolves a trailing CR, ends an unfinished last line with CRLF, and with dot-stuffing
   * adds the {@code .CRLF} terminator (an empty message gives just {@code .CRLF}). Returns those bytes (a shared
   * read-only buffer, possibly empty) and resets the state so the instance can encode another message.
   */
  public Buffer finish() {
    int ending = afterCr ? 1 : atLineStart ? 0 : 2;
    atLineStart = true;
    afterCr = false;
    return (dotStuff ? TERMINATED : ENDED)[ending];
  }

  /** Appends {@link #finish()}'s bytes to {@code out}. */
  public void finish(Buffer out) {
    out.appendBuffer(finish());
  }
}
