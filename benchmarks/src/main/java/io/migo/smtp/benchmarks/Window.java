package io.migo.smtp.benchmarks;

import io.vertx.core.Future;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Sends a fixed number of messages keeping a fixed number in flight: {@code concurrency} sends start at once, and
 * each completion starts the next one. No compose chain, no recursion through completed futures (sends complete on
 * I/O), and a bounded wait.
 *
 * <p>The first failure stops the batch: no further sends start and {@link #run} throws, so that a failed send is
 * never counted as throughput.
 */
public final class Window {

  private final Supplier<Future<?>> send;
  private final int total;
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger succeeded = new AtomicInteger();
  private final CompletableFuture<Integer> done = new CompletableFuture<>();

  private Window(Supplier<Future<?>> send, int total) {
    this.send = send;
    this.total = total;
  }

  /**
   * Sends {@code total} messages with {@code concurrency} in flight and returns how many were accepted (always
   * {@code total}); throws on the first failed send or when the batch takes longer than {@code timeoutMs}.
   */
  public static int run(Supplier<Future<?>> send, int total, int concurrency, long timeoutMs) throws Exception {
    if (total <= 0) {
      return 0;
    }
    Window window = new Window(send, total);
    for (int i = 0, n = Math.min(concurrency, total); i < n; i++) {
      window.next();
    }
    try {
      return window.done.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("send failed after " + window.succeeded.get() + " of " + total
        + " messages were accepted: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      window.done.completeExceptionally(e);
      throw new IllegalStateException("batch of " + total + " messages not done within " + timeoutMs + " ms ("
        + window.succeeded.get() + " accepted)", e);
    }
  }

  private void next() {
    if (done.isDone() || started.getAndIncrement() >= total) {
      return;
    }
    Future<?> future;
    try {
      future = send.get();
    } catch (Throwable t) {
      done.completeExceptionally(t);
      return;
    }
    future.onComplete(ar -> {
      if (ar.failed()) {
        done.completeExceptionally(ar.cause());
      } else if (succeeded.incrementAndGet() == total) {
        done.complete(total);
      } else {
        next();
      }
    });
  }
}
