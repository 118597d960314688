package io.migo.smtp.impl.protocol;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * A message's bytes as an array slice, for the loops that read every octet (the content scan, dot-stuffing):
 * the {@link Buffer}'s own heap array when it has one — what {@code Buffer.buffer(byte[])} and the MIME encoder make —
 * so that reading a message does not copy it; a copy only for a direct buffer.
 *
 * <p>Read-only by contract: the array may be the caller's buffer's own.
 */
public record ContentBytes(byte[] array, int offset, int length) {

  public static ContentBytes of(Buffer buffer) {
    if (buffer instanceof BufferInternal internal) {
      // A duplicate that shares the bytes (Vert.x 5): its indices are the buffer's readable range.
      ByteBuf bytes = internal.getByteBuf();
      if (bytes.hasArray()) {
        return new ContentBytes(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
      }
    }
    byte[] copy = buffer.getBytes();
    return new ContentBytes(copy, 0, copy.length);
  }

  /** One past the last byte. */
  public int end() {
    return offset + length;
  }
}
