package io.migo.smtp.impl.session;

import io.migo.smtp.impl.protocol.DotStuffer;
import io.migo.smtp.impl.protocol.WireBytes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

/**
 * Streams message content to the connection as DATA expects it: CRLF line ends, dot-stuffed, ended by
 * {@code CRLF.CRLF}. The content is encoded in slices, each in one pass and one socket write, and the next slice is
 * encoded only when the socket can take it, so a slow server holds at most a slice or two in memory. Content already
 * in wire form goes to the socket as it is, without a copy ({@link DotStuffer#encode(Buffer)}, {@link WireBytes}).
 */
final class MessageWriter {

  /** Large enough that a typical message is one write, small enough to bound what waits in the socket's queue. */
  static final int SLICE = 64 * 1024;

  private final SmtpConnection connection;
  private final long drainTimeoutMs;
  private final DotStuffer stuffer = new DotStuffer(true);
  /** Whether the last slice waits for the end of the event-loop turn, for the next message's envelope to join it. */
  private final boolean holdEnd;

  /**
   * @param holdEnd whether the last slice, terminator included, is held until the end of this event-loop turn so
   *                that the next message's {@code MAIL RCPT… DATA} goes in the same write
   *                ({@link SmtpConnection#writeAtEndOfTurn})
   */
  MessageWriter(SmtpConnection connection, long drainTimeoutMs, boolean holdEnd) {
    this.connection = connection;
    this.drainTimeoutMs = drainTimeoutMs;
    this.holdEnd = holdEnd;
  }

  /** Completes when the last slice, terminator included, has been handed to the socket (not yet flushed). */
  Future<Void> write(Buffer content) {
    Promise<Void> done = Promise.promise();
    writeFrom(content, 0, done);
    return done.future();
  }

  private void writeFrom(Buffer content, int offset, Promise<Void> done) {
    int length = content.length();
    while (true) {
      int end = Math.min(length, offset + SLICE);
      boolean last = end == length;
      Buffer body = stuffer.encode(content.slice(offset, end));
      Buffer ending = last ? stuffer.finish() : null;
      if (last && holdEnd) {
        connection.writeAtEndOfTurn(body);
        connection.writeAtEndOfTurn(ending);
        done.complete();
        return;
      }
      Future<Void> written = last
        ? connection.write(new WireBytes(2).add(body).add(ending), drainTimeoutMs)
        : connection.write(body, drainTimeoutMs);
      if (last) {
        // Handed to the socket: nothing is left to write, and a failure to flush surfaces as the lost reply.
        done.complete();
        return;
      }
      offset = end;
      if (!written.isComplete()) {
        int next = offset;
        written.onSuccess(v -> writeFrom(content, next, done)).onFailure(done::fail);
        return;
      }
      if (written.failed()) {
        done.fail(written.cause());
        return;
      }
    }
  }
}
