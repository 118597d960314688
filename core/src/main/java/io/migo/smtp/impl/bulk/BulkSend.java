package io.migo.smtp.impl.bulk;

import io.migo.smtp.Mail;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.impl.ClientContext;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Sends a stream of mails and is the stream of their outcomes. Backpressure both ways: it asks the upstream for a
 * mail only while fewer than {@code concurrency} mails are held (being sent, or sent and waiting for the downstream
 * to take their outcome), so a paused or slow consumer, or a slow server, stops the reading of mails.
 *
 * <p>All state lives on the client's context: every upstream and downstream signal is moved there, so no field is
 * shared between threads (but the input sequence counter, see {@link #onMail}).
 */
public final class BulkSend implements ReadStream<SendOutcome> {

  private final ClientContext context;
  private final ReadStream<Mail> upstream;
  private final Function<Mail, Future<SendOutcome>> sender;
  private final int concurrency;
  private final boolean ordered;

  /**
   * Numbers mails in the order the upstream hands them over. Taken on the upstream's thread, before any hop, so
   * that the input order survives a mix of inline and hopped deliveries.
   */
  private final AtomicLong arrivals = new AtomicLong();

  // Confined to the context.
  private final ArrayDeque<SendOutcome> ready = new ArrayDeque<>();
  /** Ordered mode: completed outcomes by input number, until every earlier one has been emitted. */
  private final Map<Long, SendOutcome> reorder = new HashMap<>();
  private long nextToEmit;
  private int held;
  private int requested;
  private long demand = Long.MAX_VALUE;
  private Lifecycle lifecycle = Lifecycle.NEW;
  /** The upstream's own end, which may come before this stream has started; the stream ends after it. */
  private boolean upstreamEnded;
  private Throwable upstreamFailure;
  // Re-entrancy guards, not states: a handler may call fetch() from inside an emission, a synchronous upstream may
  // deliver from inside upstream.fetch(). The inner call leaves the work to the loop already running.
  private boolean emitting;
  private boolean fetching;
  private boolean fetchAgain;
  private Handler<SendOutcome> handler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;

  /** The stream's life. The only moves are NEW → RUNNING → ENDED, each made once. */
  private enum Lifecycle {
    /** No handler yet: nothing is fetched, and an empty source cannot end the stream before anyone listens. */
    NEW,
    /** Fetching mails, sending them, emitting their outcomes. */
    RUNNING,
    /** The end (and the upstream's failure, if any) has been signalled; a late mail is ignored. */
    ENDED;

    boolean canMoveTo(Lifecycle next) {
      return next.ordinal() == ordinal() + 1;
    }
  }

  public BulkSend(ClientContext context, ReadStream<Mail> upstream, Function<Mail, Future<SendOutcome>> sender,
                  int concurrency, boolean ordered) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    this.context = context;
    this.upstream = upstream;
    this.sender = sender;
    this.concurrency = concurrency;
    this.ordered = ordered;
    // Fetch mode from the start: the upstream hands over exactly what pump() asks for.
    upstream.pause();
    upstream.exceptionHandler(t -> execute(() -> onUpstreamEnd(t)));
    upstream.endHandler(v -> execute(() -> onUpstreamEnd(null)));
    upstream.handler(this::onMail);
  }

  @Override
  public BulkSend handler(Handler<SendOutcome> handler) {
    execute(() -> {
      this.handler = handler;
      if (handler != null && lifecycle == Lifecycle.NEW) {
        moveTo(Lifecycle.RUNNING);
        pump();
      }
      drain();
    });
    return this;
  }

  @Override
  public BulkSend exceptionHandler(Handler<Throwable> handler) {
    execute(() -> exceptionHandler = handler);
    return this;
  }

  @Override
  public BulkSend endHandler(Handler<Void> endHandler) {
    execute(() -> this.endHandler = endHandler);
    return this;
  }

  @Override
  public BulkSend pause() {
    execute(() -> demand = 0);
    return this;
  }

  @Override
  public BulkSend resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public BulkSend fetch(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("amount must not be negative");
    }
    execute(() -> {
      demand = demand > Long.MAX_VALUE - amount ? Long.MAX_VALUE : demand + amount;
      drain();
    });
    return this;
  }

  private void onMail(Mail mail) {
    long number = arrivals.getAndIncrement();
    execute(() -> dispatch(number, mail));
  }

  private void dispatch(long number, Mail mail) {
    if (lifecycle == Lifecycle.ENDED) {
      return;
    }
    // A stream may hand over more than was asked for; it is still sent, only the next fetch is smaller.
    requested = Math.max(0, requested - 1);
    held++;
    Future<SendOutcome> outcome;
    try {
      outcome = sender.apply(mail);
    } catch (RuntimeException e) {
      outcome = Future.succeededFuture(SendOutcome.failed(mail, e));
    }
    outcome.onComplete(ar -> {
      SendOutcome o = ar.succeeded() ? ar.result() : SendOutcome.failed(mail, ar.cause());
      execute(() -> onOutcome(number, o));
    });
  }

  private void onOutcome(long number, SendOutcome outcome) {
    if (ordered) {
      reorder.put(number, outcome);
    } else {
      ready.add(outcome);
    }
    drain();
  }

  private void onUpstreamEnd(Throwable failure) {
    if (upstreamEnded) {
      return;
    }
    upstreamEnded = true;
    upstreamFailure = failure;
    drain();
  }

  /** Emits what the downstream asked for, then refills from the upstream and checks for the end. */
  private void drain() {
    context.check();
    if (emitting) {
      return;
    }
    emitting = true;
    try {
      SendOutcome next;
      while (handler != null && demand > 0 && (next = pollReady()) != null) {
        held--;
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        handler.handle(next);
      }
    } finally {
      emitting = false;
    }
    pump();
    checkEnd();
  }

  private SendOutcome pollReady() {
    if (!ordered) {
      return ready.poll();
    }
    SendOutcome next = reorder.remove(nextToEmit);
    if (next != null) {
      nextToEmit++;
    }
    return next;
  }

  /**
   * Asks the upstream for as many mails as there are free places. Looped, not recursive: a synchronous upstream
   * with sends that fail at once would otherwise nest fetch → send → emit → fetch without bound.
   */
  private void pump() {
    if (fetching) {
      fetchAgain = true;
      return;
    }
    fetching = true;
    try {
      do {
        fetchAgain = false;
        int free = concurrency - held - requested;
        if (lifecycle == Lifecycle.RUNNING && !upstreamEnded && free > 0) {
          requested += free;
          upstream.fetch(free);
        }
      } while (fetchAgain);
    } finally {
      fetching = false;
    }
  }

  private void checkEnd() {
    // Not before the downstream has started (set its handler): an empty source may end at once, and by convention
    // the end handler is set before the handler.
    if (lifecycle != Lifecycle.RUNNING || !upstreamEnded || held > 0 || emitting || fetching) {
      return;
    }
    moveTo(Lifecycle.ENDED);
    if (upstreamFailure != null && exceptionHandler != null) {
      exceptionHandler.handle(upstreamFailure);
    }
    if (endHandler != null) {
      endHandler.handle(null);
    }
  }

  private void moveTo(Lifecycle next) {
    if (!lifecycle.canMoveTo(next)) {
      throw new IllegalStateException("illegal bulk send transition " + lifecycle + " -> " + next);
    }
    lifecycle = next;
  }

  /** Runs on the client's context: inline when already there, else by a hop (which keeps the order of hops). */
  private void execute(Runnable action) {
    context.execute(action);
  }
}
