package io.migo.smtp.impl.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of one socket write, gathered from several buffers by reference and copied once, straight into the
 * socket's direct buffer: what lets a message's content go from the caller's {@link Buffer} to the wire with a
 * single copy. Before this, each 2 KB message was copied into the encoder's array, into the writer's slice buffer,
 * into the end-of-turn buffer that joins it with the next envelope, and then by Netty into a direct buffer; those
 * copies were most of what the raw path allocated per message.
 *
 * <p>The one place that uses Netty's buffers and Vert.x's internal socket directly. Vert.x's public API has no
 * gathering write, and a Netty composite buffer does not help: Netty's adaptive allocator, copying a heap composite
 * into its direct buffer, first merges the parts into a new heap array. So the parts are copied here into a direct
 * buffer from the channel's own allocator, which the socket writes and releases ({@link NetSocketInternal#writeMessage}).
 *
 * <p>The parts are read when {@link #writeTo} runs, not when they are added: a caller must not change a part until
 * then (for a message's content: until its send completes, which is later).
 */
public final class WireBytes {

  private final List<ByteBuf> parts;
  private int length;

  /** An empty gathering, sized for about {@code expectedParts} parts. */
  public WireBytes(int expectedParts) {
    parts = new ArrayList<>(expectedParts);
  }

  /** Appends {@code data}'s readable bytes, by reference. */
  public WireBytes add(Buffer data) {
    int n = data.length();
    if (n > 0) {
      parts.add(byteBuf(data));
      length += n;
    }
    return this;
  }

  /** Appends every part of {@code other}, by reference. */
  public WireBytes add(WireBytes other) {
    parts.addAll(other.parts);
    length += other.length;
    return this;
  }

  public int length() {
    return length;
  }

  /** Writes the gathered bytes as one write: one copy into a direct buffer the socket releases once written. */
  public Future<Void> writeTo(NetSocket socket) {
    if (parts.size() == 1 || !(socket instanceof NetSocketInternal internal)) {
      return socket.write(toBuffer());
    }
    ByteBuf direct = internal.channelHandlerContext().alloc().directBuffer(length);
    for (ByteBuf part : parts) {
      direct.writeBytes(part, part.readerIndex(), part.readableBytes());
    }
    return internal.writeMessage(direct);
  }

  /** The gathered bytes as one {@code Buffer} (a copy when there are several parts): for tests and odd sockets. */
  public Buffer toBuffer() {
    if (parts.size() == 1) {
      return BufferInternal.buffer(parts.get(0));
    }
    Buffer all = Buffer.buffer(length);
    for (ByteBuf part : parts) {
      all.appendBuffer(BufferInternal.buffer(part));
    }
    return all;
  }

  /** The first {@code length} bytes of {@code array} as a buffer, without copying them. */
  public static Buffer wrap(byte[] array, int length) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(array, 0, length));
  }

  /** A constant: writing into it throws, so that one caller cannot change what every other one sends. */
  public static Buffer readOnly(String ascii) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(ascii.getBytes(StandardCharsets.US_ASCII)).asReadOnly());
  }

  private static ByteBuf byteBuf(Buffer data) {
    if (data instanceof BufferInternal internal) {
      return internal.getByteBuf();
    }
    return Unpooled.wrappedBuffer(data.getBytes());
  }
}
