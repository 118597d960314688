package io.migo.smtp.impl.protocol;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns the server's byte stream into {@link Reply} values: strict, bounded, and indifferent to how the stream is cut
 * into chunks (a chunk may hold several replies, and a reply or even a CRLF may be split across chunks).
 *
 * <p>Format (RFC 5321 section 4.2): each line is three digits, then {@code '-'} (more lines follow), {@code ' '} or
 * nothing (last line), then text. Lines end in CRLF; a bare LF is accepted too because some servers and proxies
 * send it and it is unambiguous, while a CR not followed by LF is refused (it is how reply splitting attacks look).
 * Text is decoded as UTF-8 (SMTPUTF8 servers may send it); malformed sequences become U+FFFD rather than failing,
 * because the text is informational.
 *
 * <p>Bounded memory: a line longer than {@code maxLineLength} fails as soon as its byte {@code maxLineLength + 1}
 * arrives, without waiting for the line end, and a reply with more than {@code maxLinesPerReply} lines fails.
 *
 * <p>After a {@link ReplyFormatException} the framing is lost: the decoder refuses further input with
 * {@link IllegalStateException} and the caller closes the connection.
 *
 * <p>Not thread-safe: it belongs to one connection and runs on its event loop.
 */
public final class ReplyDecoder {

  private static final int INITIAL_CAPACITY = 128;

  private final int maxLineLength;
  private final int maxLinesPerReply;
  private final Consumer<Reply> sink;

  /** The current line without its terminator; grows up to maxLineLength. */
  private byte[] line;
  private int lineLength;
  /** A CR ended the previous byte; the next one must be LF. */
  private boolean pendingCr;
  /** Code and text lines of a multi-line reply whose last line has not arrived; -1 when none is in progress. */
  private int replyCode = -1;
  private final List<String> replyLines = new ArrayList<>();
  private boolean failed;

  /**
   * @param maxLineLength    the longest line accepted, in bytes, code included and terminator excluded (RFC 5321
   *                         section 4.5.3.1.5 guarantees 512 with CRLF; servers exceed it, so allow some slack)
   * @param maxLinesPerReply the most lines one reply may have (an EHLO reply has about 15)
   * @param sink             receives each complete reply, synchronously, in order
   */
  public ReplyDecoder(int maxLineLength, int maxLinesPerReply, Consumer<Reply> sink) {
    if (maxLineLength < 3 || maxLinesPerReply < 1) {
      throw new IllegalArgumentException("maxLineLength must be >= 3 and maxLinesPerReply >= 1");
    }
    this.maxLineLength = maxLineLength;
    this.maxLinesPerReply = maxLinesPerReply;
    this.sink = sink;
    this.line = new byte[Math.min(INITIAL_CAPACITY, maxLineLength)];
  }

  /**
   * Decodes {@code chunk}, passing each reply it completes to the sink before decoding the rest. An exception thrown
   * by the sink propagates and the rest of the chunk is not decoded.
   *
   * @throws ReplyFormatException when the bytes are not a valid reply
   */
  public void feed(Buffer chunk) {
    if (failed) {
      throw new IllegalStateException("the decoder failed earlier; the connection must be closed");
    }
    try {
      int n = chunk.length();
      for (int i = 0; i < n; i++) {
        byte b = chunk.getByte(i);
        if (pendingCr) {
          pendingCr = false;
          if (b != '\n') {
            throw fail("CR not followed by LF in reply line");
          }
          endOfLine();
        } else if (b == '\r') {
          pendingCr = true;
        } else if (b == '\n') {
          endOfLine();
        } else {
          append(b);
        }
      }
    } catch (ReplyFormatException e) {
      failed = true;
      throw e;
    }
  }

  /**
   * Whether bytes of an unfinished line or reply are buffered. After the 220 reply to STARTTLS, the caller checks
   * this once {@link #feed} has returned: anything the server sent after the 220 and before the TLS handshake was
   * never protected by TLS and must be treated as an attack (CVE-2011-0411 style injection). A complete extra reply
   * in that window reaches the sink instead, where the caller sees a reply with no command waiting for it.
   */
  public boolean hasPartialInput() {
    return lineLength > 0 || pendingCr || replyCode >= 0;
  }

  private void append(byte b) {
    if (b == 0) {
      throw fail("NUL in reply line");
    }
    if (lineLength == maxLineLength) {
      throw fail("reply line longer than " + maxLineLength + " bytes");
    }
    if (lineLength == line.length) {
      line = Arrays.copyOf(line, (int) Math.min(maxLineLength, 2L * line.length));
    }
    line[lineLength++] = b;
  }

  private void endOfLine() {
    if (lineLength < 3 || !isCode(line[0], line[1], line[2])) {
      throw fail("reply line does not start with a valid reply code");
    }
    boolean last;
    if (lineLength == 3 || line[3] == ' ') {
      last = true;
    } else if (line[3] == '-') {
      last = false;
    } else {
      throw fail("reply code not followed by a space, '-' or the line end");
    }
    int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    if (replyCode >= 0 && code != replyCode) {
      throw fail("multi-line reply " + replyCode + " continued with a different code");
    }
    if (replyLines.size() == maxLinesPerReply) {
      throw fail("reply has more than " + maxLinesPerReply + " lines");
    }
    String text = lineLength <= 4 ? "" : new String(line, 4, lineLength - 4, StandardCharsets.UTF_8);
    replyLines.add(text);
    lineLength = 0;
    if (last) {
      Reply reply = new Reply(code, replyLines);
      replyCode = -1;
      replyLines.clear();
      sink.accept(reply);
    } else {
      replyCode = code;
    }
  }

  /** RFC 5321 section 4.2: first digit 2–5 (SMTP sends no 1yz), second 0–5, third any digit. */
  private static boolean isCode(byte d0, byte d1, byte d2) {
    return d0 >= '2' && d0 <= '5' && d1 >= '0' && d1 <= '5' && d2 >= '0' && d2 <= '9';
  }

  private ReplyFormatException fail(String problem) {
    return new ReplyFormatException(problem, line, lineLength);
  }
}
