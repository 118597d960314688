package io.migo.smtp.cli;

import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * Sends {@code count} messages keeping at most {@code concurrency} in flight, and tallies the outcomes.
 *
 * <p>It starts {@code concurrency} sends; each settled send starts the next until {@code count} have been started,
 * and the last one to settle completes the run. All counters and the {@link Summary} live on one Vert.x context:
 * completions arrive on the client's threads and hop back here before they touch anything, so nothing needs a lock.
 *
 * <p>The next send is started from the settled one's callback rather than by chaining a future per message: a
 * chain of {@code compose} calls N long unwinds N frames deep when its tail completes, which overflows the stack
 * for a large {@code --count} of sends that fail at once (connection refused). The hop through the context also
 * keeps each step on a fresh stack.
 */
final class BulkSender {

  private final Context context;
  private final int count;
  private final int concurrency;
  private final Supplier<Future<SendResult>> send;
  private final Summary summary;
  private final Promise<Summary> done = Promise.promise();
  private int started;
  private int settled;
  private long startNanos;
  // Written on the context only; volatile so that a progress display on another thread reads fresh values.
  private volatile int accepted;
  private volatile int failed;
  private volatile long runningSinceNanos;

  /**
   * @param context where the counters live; every step after the caller's runs on its thread
   * @param send    starts one message; called once per message, on {@code context}
   */
  BulkSender(Context context, int count, int concurrency, Supplier<Future<SendResult>> send) {
    if (count < 1 || concurrency < 1) {
      throw new IllegalArgumentException("count and concurrency must be at least 1");
    }
    this.context = context;
    this.count = count;
    this.concurrency = concurrency;
    this.send = send;
    this.summary = new Summary(count);
  }

  /**
   * Completes, never fails, when every message is settled. The summary's time runs from the first send to the last
   * settled one. Call once.
   */
  Future<Summary> run() {
    context.runOnContext(v -> startWindow());
    return done.future();
  }

  /** Messages the server accepted so far (delivered or partially delivered); safe to read from any thread. */
  int acceptedSoFar() {
    return accepted;
  }

  /** Messages that failed so far; safe to read from any thread. */
  int failedSoFar() {
    return failed;
  }

  /** Seconds since the first send started, 0 before; safe to read from any thread. */
  double elapsedSeconds() {
    long since = runningSinceNanos;
    return since == 0 ? 0 : (System.nanoTime() - since) / 1e9;
  }

  int count() {
    return count;
  }

  private void startWindow() {
    startNanos = System.nanoTime();
    runningSinceNanos = startNanos;
    for (int i = 0; i < Math.min(concurrency, count); i++) {
      startNext();
    }
  }

  private void startNext() {
    started++;
    startSend().onComplete(outcome -> context.runOnContext(v -> settle(outcome)));
  }

  /**
   * A send that throws instead of returning a failed future threw while building its message, before the library
   * took it: nothing was sent, so it is the input's fault (an unexpected exception from the library itself comes
   * back as a failed future, classified by the library).
   */
  private Future<SendResult> startSend() {
    try {
      return send.get();
    } catch (SmtpException e) {
      return Future.failedFuture(e);
    } catch (RuntimeException e) {
      return Future.failedFuture(new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT,
        "the message could not be built: " + e.getMessage(), e));
    }
  }

  private void settle(AsyncResult<SendResult> outcome) {
    assertOnContext();
    settled++;
    if (outcome.succeeded()) {
      summary.recordSuccess(outcome.result());
      accepted++;
    } else {
      summary.recordFailure(outcome.cause());
      failed++;
    }
    if (started < count) {
      startNext();
    } else if (settled == count) {
      summary.finish((System.nanoTime() - startNanos) / 1e9);
      done.complete(summary);
    }
  }

  private void assertOnContext() {
    if (Vertx.currentContext() != context) {
      throw new IllegalStateException("BulkSender state touched off its context");
    }
  }
}
