package io.migo.smtp.impl.session;

import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.impl.protocol.Commands;
import io.migo.smtp.impl.protocol.DotStuffer;
import io.migo.smtp.impl.protocol.WireBytes;
import io.migo.smtp.impl.protocol.Reply;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Sends message content as BDAT chunks (RFC 3030): line ends normalized to CRLF, no dot-stuffing, no terminator;
 * each chunk framed by its length. A message up to one slice is a single {@code BDAT n LAST}, and the first chunk can
 * join the envelope's batch, so that with PIPELINING a whole message is one write and one round trip.
 *
 * <p>With PIPELINING chunks follow each other without waiting for replies (as the socket drains); without it each
 * chunk waits for its 250. A refused chunk stops the rest.
 *
 * <p>It reports progress and leaves the session's state to its caller: {@link Chunks#written()} says when the last
 * chunk has been handed to the socket, {@link Chunks#verdict()} what the server made of them.
 */
final class ChunkWriter {

  private final SmtpConnection connection;
  private final Buffer content;
  private final SessionSettings settings;
  private final boolean pipelined;
  private final DotStuffer normalizer = new DotStuffer(false);
  private final List<Future<Reply>> replies = new ArrayList<>(2);
  private final Promise<Void> written = Promise.promise();
  private final Promise<Reply> verdict = Promise.promise();
  private int offset;

  /**
   * @param written completes when the last chunk has been handed to the socket (not yet flushed), at once when that
   *                happens within {@link #write}; fails when the writing stops before it
   * @param verdict the reply to the last chunk once every chunk's reply is in; fails with the first refused chunk
   */
  record Chunks(Future<Void> written, Future<Reply> verdict) {
  }

  ChunkWriter(SmtpConnection connection, Buffer content, SessionSettings settings, boolean pipelined) {
    this.connection = connection;
    this.content = content;
    this.settings = settings;
    this.pipelined = pipelined;
  }

  /** Writes every chunk, the first one inside {@code first} (which may already hold the envelope) unless null. */
  Chunks write(Batch first) {
    writeChunks(first);
    return new Chunks(written.future(), verdict.future());
  }

  private void writeChunks(Batch batch) {
    while (true) {
      int end = Math.min(content.length(), offset + MessageWriter.SLICE);
      boolean last = end == content.length();
      WireBytes chunk = new WireBytes(2).add(normalizer.encode(content.slice(offset, end)));
      if (last) {
        chunk.add(normalizer.finish());
      }
      offset = end;
      Batch b = batch != null ? batch : new Batch(connection);
      batch = null;
      Future<Reply> reply = last
        ? b.add(Commands.bdat(chunk.length(), true), SmtpPhase.DATA_END, settings.dataTimeoutMs)
        : b.add(Commands.bdat(chunk.length(), false), settings.commandTimeoutMs);
      b.append(chunk);
      replies.add(reply);
      Future<Void> flushed = b.flush(settings.commandTimeoutMs);
      if (last) {
        written.complete();
        Future.join(replies).onComplete(ar -> settle());
        return;
      }
      Future<?> proceed = pipelined ? flushed : flushed.compose(v -> reply).compose(r -> r.isPositiveCompletion()
        ? Future.succeededFuture() : Future.failedFuture(r.toException(SmtpPhase.BDAT, Reason.REPLY, "chunk refused")));
      if (!proceed.isComplete()) {
        proceed.onSuccess(v -> writeChunks(null)).onFailure(this::stop);
        return;
      }
      if (proceed.failed()) {
        stop(proceed.cause());
        return;
      }
    }
  }

  /** A chunk could not be written or was refused: the rest are not written. */
  private void stop(Throwable cause) {
    written.tryFail(cause);
    verdict.tryFail(cause);
  }

  /**
   * Every chunk's reply is in: the first refusal wins, else the last chunk's reply is the verdict. A reply that never
   * came (connection lost, timeout) is reported as the last chunk's loss: every chunk, LAST included, went out, so the
   * server may hold the whole message, and an earlier chunk's "no reply" would wrongly say it cannot.
   */
  private void settle() {
    Future<Reply> lastReply = replies.get(replies.size() - 1);
    for (int i = 0; i < replies.size(); i++) {
      Future<Reply> reply = replies.get(i);
      if (reply.failed()) {
        verdict.tryFail(lastReply.failed() ? lastReply.cause() : reply.cause());
        return;
      }
      boolean last = i == replies.size() - 1;
      if (!last && !reply.result().isPositiveCompletion()) {
        verdict.tryFail(reply.result().toException(SmtpPhase.BDAT, Reason.REPLY, "chunk refused"));
        return;
      }
    }
    verdict.tryComplete(replies.get(replies.size() - 1).result());
  }
}
