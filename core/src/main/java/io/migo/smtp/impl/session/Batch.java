package io.migo.smtp.impl.session;

import io.migo.smtp.SmtpPhase;
import io.migo.smtp.impl.protocol.Reply;
import io.migo.smtp.impl.protocol.SmtpCommand;
import io.migo.smtp.impl.protocol.WireBytes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Commands (and BDAT chunk data) collected for one socket write, each with its reply registered in order: how
 * pipelining (RFC 2920) is done. The caller groups only what the RFCs allow: DATA or BDAT last among commands, and
 * chunk data right after its BDAT.
 */
final class Batch {

  private final SmtpConnection connection;
  private final Buffer bytes = Buffer.buffer(256);
  /** The chunk after the last BDAT, if any: joined to the commands by reference, not copied into them. */
  private WireBytes data;

  Batch(SmtpConnection connection) {
    this.connection = connection;
  }

  Future<Reply> add(SmtpCommand command, long timeoutMs) {
    return add(command, command.phase(), timeoutMs);
  }

  /** Adds a command whose reply is reported in {@code replyPhase} (the last BDAT's reply is the delivery verdict). */
  Future<Reply> add(SmtpCommand command, SmtpPhase replyPhase, long timeoutMs) {
    Future<Reply> reply = connection.expect(command, replyPhase, timeoutMs);
    bytes.appendBuffer(command.line());
    return reply;
  }

  /** Raw bytes after the last command: a BDAT chunk. */
  void append(WireBytes data) {
    if (this.data != null) {
      throw new IllegalStateException("one chunk per batch");
    }
    this.data = data;
  }

  /** One write; completes when the socket can take more (see {@link SmtpConnection#write}). */
  Future<Void> flush(long drainTimeoutMs) {
    return data == null
      ? connection.write(bytes, drainTimeoutMs)
      : connection.write(new WireBytes(3).add(bytes).add(data), drainTimeoutMs);
  }
}
