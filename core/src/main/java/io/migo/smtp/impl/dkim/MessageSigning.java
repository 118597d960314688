package io.migo.smtp.impl.dkim;

import io.migo.smtp.impl.protocol.ContentBytes;
import io.vertx.core.buffer.Buffer;

import java.util.Arrays;

/**
 * Signs one message as its content passes through, for content that is streamed as well as for content that is
 * whole: {@link #update} takes the message in chunks split anywhere — the header block is kept (it is small, and
 * needed at the end), the body only hashed as it goes — and {@link #finish} returns the DKIM-Signature field to put in
 * front of the message.
 *
 * <p>Line ends are read as the wire will have them ({@code DotStuffer}): CRLF, bare CR and bare LF each end a line and
 * are kept as CRLF, also across chunk boundaries. The header block ends at the first empty line; a message without
 * one is all header and has an empty body.
 *
 * <p>One instance per message; not thread-safe.
 */
public final class MessageSigning {

  private static final byte CR = '\r';
  private static final byte LF = '\n';

  private final DkimSigner signer;
  private final BodyHasher body;
  private byte[] head = new byte[1024];
  private int headLength;
  /** Octets on the current header line so far; 0 at a line start. */
  private int lineLength;
  private boolean afterCr;
  private boolean inHeader = true;

  MessageSigning(DkimSigner signer, BodyHasher body) {
    this.signer = signer;
    this.body = body;
  }

  public void update(Buffer chunk) {
    ContentBytes bytes = ContentBytes.of(chunk);
    update(bytes.array(), bytes.offset(), bytes.length());
  }

  public void update(byte[] bytes, int offset, int length) {
    int i = offset;
    int end = offset + length;
    while (inHeader && i < end) {
      header(bytes[i++]);
    }
    if (i < end) {
      body.update(bytes, i, end - i);
    }
  }

  private void header(byte b) {
    if (afterCr) {
      afterCr = false;
      if (b == LF) {
        return;
      }
    }
    if (b == CR || b == LF) {
      if (lineLength == 0) {
        // The empty line: the body starts after it (and after its LF, should a CR end this chunk).
        inHeader = false;
        if (b == CR) {
          body.startAfterCr();
        }
        return;
      }
      append(CR);
      append(LF);
      lineLength = 0;
      afterCr = b == CR;
      return;
    }
    append(b);
    lineLength++;
  }

  private void append(byte b) {
    if (headLength == head.length) {
      head = Arrays.copyOf(head, head.length * 2);
    }
    head[headLength++] = b;
  }

  /**
   * The DKIM-Signature field, CRLF included, for what was read.
   *
   * @throws io.migo.smtp.SmtpException INPUT / INVALID_INPUT when the message has no From field
   */
  public Buffer finish() {
    if (lineLength > 0) {
      // A last header line without a line end gets the CRLF the wire form gives it.
      append(CR);
      append(LF);
      lineLength = 0;
    }
    return signer.signatureField(HeaderField.parse(head, headLength), body.finish());
  }
}
