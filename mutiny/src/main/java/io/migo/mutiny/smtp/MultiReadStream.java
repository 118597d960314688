package io.migo.mutiny.smtp;

import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Flow.Publisher} (a Mutiny {@code Multi}) seen as a Vert.x {@link ReadStream}, with the demand carried
 * across: items are requested upstream only as the reader {@link #fetch fetches} them (or all of them after
 * {@link #resume}), so a core {@code sendAll} reading this stream asks the {@code Multi} for a mail only when a place
 * in its window is free.
 *
 * <p>Reactive Streams cannot take a request back, so {@link #pause} only stops asking: items already requested that
 * arrive while paused wait here, in arrival order, for the next fetch. That queue holds at most what was requested.
 *
 * <p>Signals come from two sides on any threads: the reader's (fetch, pause, resume, on the client's context for
 * sendAll) and the publisher's (onNext and the end, on whatever thread emits). One drain loop, entered by whichever
 * thread gets the work counter from zero, does every delivery and every request, so the handlers are called one at
 * a time and in order, and a request that the publisher answers synchronously loops instead of nesting.
 *
 * <p>The upstream is subscribed when the handler is first set: a {@code sendAll} sets it when it is created, which
 * the facade does only once its own {@code Multi} is subscribed to, so nothing is read before that.
 */
final class MultiReadStream<T> implements ReadStream<T>, Flow.Subscriber<T> {

  private final Flow.Publisher<T> upstream;
  private final Queue<T> arrived = new ConcurrentLinkedQueue<>();
  private final AtomicInteger work = new AtomicInteger();

  // Set by either side's calls; volatile so that the thread running the drain loop sees them.
  private volatile Flow.Subscription subscription;
  private volatile Handler<T> handler;
  private volatile Handler<Throwable> exceptionHandler;
  private volatile Handler<Void> endHandler;
  private volatile boolean subscribed;
  private volatile boolean upstreamDone;
  private volatile Throwable upstreamFailure;
  private volatile boolean cancelled;
  /** Touched by the drain loop only. */
  private boolean ended;

  /**
   * What the reader may be given; changed by the reader's calls and the drain loop. Unbounded until the first
   * pause, as a Vert.x stream flows once its handler is set ({@code sendAll} pauses it first).
   */
  private final AtomicLong demand = new AtomicLong(Long.MAX_VALUE);
  /** Requested upstream and not yet delivered (on its way, or waiting here); Long.MAX_VALUE once unbounded. */
  private long outstanding;

  MultiReadStream(Flow.Publisher<T> upstream) {
    this.upstream = upstream;
  }

  @Override
  public MultiReadStream<T> handler(Handler<T> handler) {
    this.handler = handler;
    if (handler != null && !subscribed) {
      subscribed = true;
      upstream.subscribe(this);
    }
    drain();
    return this;
  }

  @Override
  public MultiReadStream<T> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public MultiReadStream<T> endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public MultiReadStream<T> pause() {
    demand.set(0);
    return this;
  }

  @Override
  public MultiReadStream<T> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public MultiReadStream<T> fetch(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("amount must not be negative");
    }
    demand.accumulateAndGet(amount, MultiReadStream::saturatedAdd);
    drain();
    return this;
  }

  /**
   * Stops reading: the upstream subscription is cancelled, nothing more is delivered and the stream never ends
   * (its reader has gone). For the facade, when its own subscriber cancels.
   */
  void cancel() {
    cancelled = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
    arrived.clear();
  }

  // ------------------------------------------------------------------ Flow.Subscriber

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    if (this.subscription != null || cancelled) {
      subscription.cancel();
      return;
    }
    this.subscription = subscription;
    drain();
  }

  @Override
  public void onNext(T item) {
    arrived.add(item);
    drain();
  }

  @Override
  public void onError(Throwable failure) {
    upstreamFailure = failure;
    upstreamDone = true;
    drain();
  }

  @Override
  public void onComplete() {
    upstreamDone = true;
    drain();
  }

  // ------------------------------------------------------------------ the one loop

  private void drain() {
    if (work.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      deliver();
      requestMore();
      missed = work.addAndGet(-missed);
    } while (missed != 0);
  }

  private void deliver() {
    Handler<T> h;
    while (!cancelled && (h = handler) != null && demand.get() > 0) {
      T item = arrived.poll();
      if (item == null) {
        break;
      }
      if (outstanding != Long.MAX_VALUE) {
        outstanding = Math.max(0, outstanding - 1);
      }
      if (demand.get() != Long.MAX_VALUE) {
        demand.decrementAndGet();
      }
      h.handle(item);
    }
    if (!cancelled && !ended && upstreamDone && arrived.isEmpty()) {
      ended = true;
      Throwable failure = upstreamFailure;
      if (failure != null) {
        Handler<Throwable> onFailure = exceptionHandler;
        if (onFailure != null) {
          onFailure.handle(failure);
        }
      } else {
        Handler<Void> onEnd = endHandler;
        if (onEnd != null) {
          onEnd.handle(null);
        }
      }
    }
  }

  /**
   * Asks upstream for what the reader wants beyond what is already requested. Runs after {@link #deliver}: while the
   * reader wants more, nothing that arrived is left waiting.
   */
  private void requestMore() {
    Flow.Subscription s = subscription;
    if (s == null || cancelled || upstreamDone) {
      return;
    }
    long wanted = demand.get();
    long more = wanted == Long.MAX_VALUE ? Long.MAX_VALUE : wanted - outstanding;
    if (more > 0 && outstanding != Long.MAX_VALUE) {
      outstanding = saturatedAdd(outstanding, more);
      s.request(more);
    }
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }
}
