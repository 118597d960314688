package io.migo.smtp.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/**
 * {@code bulk --outcomes FILE}: one JSON line per input line, written as outcomes arrive. Lines are gathered in a
 * buffer and written with Vert.x's {@link AsyncFile} (on a worker, never blocking the client's event loop) when
 * {@value #WRITE_BYTES} bytes have gathered, at least every {@value #FLUSH_INTERVAL_MS} ms, and at the end: a job that
 * dies loses at most a second of this file (the journal, when there is one, is the durable record).
 *
 * <p>Confined to the context it was opened on (the client's), where the outcomes arrive and its timer fires.
 */
final class OutcomesFile {

  static final int WRITE_BYTES = 64 * 1024;
  static final long FLUSH_INTERVAL_MS = 1000;

  private final Vertx vertx;
  private final AsyncFile file;
  private final Path path;
  private final long timer;
  private Buffer pending = Buffer.buffer();
  private Throwable failure;
  private Future<Void> closed;

  private OutcomesFile(Vertx vertx, AsyncFile file, Path path) {
    this.vertx = vertx;
    this.file = file;
    this.path = path;
    this.timer = vertx.setPeriodic(FLUSH_INTERVAL_MS, id -> write());
  }

  /** Creates (or empties) {@code path}; call on the context the outcomes will arrive on. */
  static Future<OutcomesFile> open(Vertx vertx, Path path) {
    OpenOptions options = new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true);
    return vertx.fileSystem().open(path.toString(), options)
      .map(file -> new OutcomesFile(vertx, file, path))
      .recover(e -> Future.failedFuture(new IllegalStateException("--outcomes: cannot write " + path + ": "
        + e.getMessage(), e)));
  }

  void append(JsonObject line) {
    pending.appendString(line.encode()).appendByte((byte) '\n');
    if (pending.length() >= WRITE_BYTES) {
      write();
    }
  }

  /** Writes what is pending, then closes the file; fails if any write failed. Once: a second call gets the same. */
  Future<Void> close() {
    if (closed != null) {
      return closed;
    }
    vertx.cancelTimer(timer);
    write();
    closed = file.close().transform(ar -> {
      Throwable cause = failure != null ? failure : ar.cause();
      return cause == null ? Future.succeededFuture()
        : Future.failedFuture(new IllegalStateException("--outcomes: writing " + path + " failed: "
          + cause.getMessage(), cause));
    });
    return closed;
  }

  private void write() {
    if (pending.length() == 0) {
      return;
    }
    Buffer chunk = pending;
    pending = Buffer.buffer();
    // AsyncFile keeps the order of writes; the first failure is what close() reports.
    file.write(chunk).onFailure(e -> {
      if (failure == null) {
        failure = e;
      }
    });
  }
}
