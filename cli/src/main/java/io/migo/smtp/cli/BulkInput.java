package io.migo.smtp.cli;

import io.migo.smtp.Mail;
import io.vertx.core.Context;
import io.vertx.core.Handler;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bulk}'s input as the stream of mails that the client's {@code sendAll} reads: lines are read and parsed on
 * a worker ({@link InputReader}), at most what was asked for (and a bounded batch) at a time, so the client's
 * backpressure reaches the file and a job of a million lines holds no more than its window. A line that cannot be
 * sent is not a mail of the stream: it goes to the {@code invalid} handler (its outcome is the command's own), in
 * its place after the mails before it, and costs the stream's demand nothing.
 *
 * <p>Confined to the client's context, like {@link MailSource}: {@code sendAll} calls it there, and each read's
 * result comes back there. Only {@link #entries()} is read from another thread (the progress display). A fetch made
 * while a mail is being handed over only adds to the demand: the running loop emits it, so the stack stays flat.
 */
final class BulkInput extends DemandStream<Mail> {

  /** At most this many mails per read: enough to fill a window in a few reads, few enough to hold. */
  static final int MAX_MAILS_PER_READ = 64;

  private final Context context;
  private final InputReader reader;
  private final Handler<InputParser.Invalid> invalid;
  /** Lines read and not yet handed over, in input order: an invalid line waits for the mails before it. */
  private final ArrayDeque<InputParser.Parsed> ready = new ArrayDeque<>();
  /** Lines that became a mail or an invalid outcome so far: the job's total as far as it is known. */
  private final AtomicLong entries = new AtomicLong();
  private boolean reading;
  private boolean inputEnded;
  private boolean ended;
  private boolean emitting;
  private Throwable failure;

  BulkInput(Context context, InputReader reader, Handler<InputParser.Invalid> invalid) {
    this.context = context;
    this.reader = reader;
    this.invalid = invalid;
  }

  /** Lines read so far that are messages (valid or not); safe to call from any thread. */
  long entries() {
    return entries.get();
  }

  /** Mails already read and asked for go as soon as there is a handler. */
  @Override
  public BulkInput handler(Handler<Mail> handler) {
    super.handler(handler);
    emit();
    return this;
  }

  /**
   * Hands over what is ready and asked for; then reads more if more is asked for, or ends. When the input cannot be
   * read, the exception handler is called after the mails already read, in place of the end.
   */
  @Override
  protected void emit() {
    if (emitting || handler == null) {
      return;
    }
    emitting = true;
    try {
      while (!ready.isEmpty() && handler != null) {
        if (ready.peek() instanceof InputParser.Invalid line) {
          ready.poll();
          invalid.handle(line);
          continue;
        }
        if (demand == 0) {
          break;
        }
        took();
        handler.handle(((InputParser.Message) ready.poll()).mail());
      }
    } finally {
      emitting = false;
    }
    if (!ready.isEmpty() || reading) {
      return;
    }
    if (inputEnded) {
      end();
    } else if (demand > 0) {
      read();
    }
  }

  private void read() {
    reading = true;
    int wanted = (int) Math.min(demand, MAX_MAILS_PER_READ);
    context.executeBlocking(() -> reader.read(wanted), true).onComplete(ar -> {
      reading = false;
      if (ar.succeeded()) {
        take(ar.result());
      } else {
        // Not the input's failure (that comes in the batch, after its good lines): a bug in reading or parsing.
        failure = ar.cause();
        inputEnded = true;
      }
      emit();
    });
  }

  private void take(InputReader.Batch batch) {
    ready.addAll(batch.items());
    entries.addAndGet(batch.items().size());
    inputEnded = batch.end();
    failure = batch.failure();
  }

  private void end() {
    if (ended) {
      return;
    }
    ended = true;
    if (failure != null) {
      if (exceptionHandler != null) {
        exceptionHandler.handle(failure);
      }
    } else if (endHandler != null) {
      endHandler.handle(null);
    }
  }
}
