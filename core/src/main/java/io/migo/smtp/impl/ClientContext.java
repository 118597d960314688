package io.migo.smtp.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

import java.util.function.Supplier;

/**
 * The one place that knows which event loop a client runs on: "run this there", "are we there?" and the check that
 * lock-free code relies on. The client, its pool, its bulk sends and its sessions all use it.
 *
 * <p>A client always runs on an <em>event-loop</em> context, whatever context creates it: created inside a worker
 * verticle or on a virtual-thread context, it would otherwise inherit a context whose tasks run on pool threads one
 * after another but not on one thread, and socket callbacks would land on different threads from call to call. So
 * an event-loop context is kept as it is and any other is replaced by a fresh event-loop context. That takes
 * {@link VertxInternal#createEventLoopContext()}: Vert.x's public API only offers the caller's own context.
 *
 * <p>"Are we there" is a question about the thread, not the context object: Vert.x runs timers and some callbacks on
 * duplicates of a context, which share its event loop, and the thread is what makes lock-free code safe.
 */
public final class ClientContext {

  private final ContextInternal context;

  private ClientContext(ContextInternal context) {
    this.context = context;
  }

  /** The caller's event-loop context, or a new event-loop context when the caller is on any other kind. */
  public static ClientContext of(Vertx vertx) {
    Context current = vertx.getOrCreateContext();
    ContextInternal eventLoop = current.isEventLoopContext()
      ? (ContextInternal) current
      : ((VertxInternal) vertx).createEventLoopContext();
    return new ClientContext(eventLoop);
  }

  /** The context itself, for APIs that take one (e.g. where a stream delivers its items). */
  public Context context() {
    return context;
  }

  /** Whether the calling thread is this client's event loop. */
  public boolean isCurrent() {
    return context.nettyEventLoop().inEventLoop();
  }

  /**
   * Whether the calling thread is any Vert.x event loop, this client's or another's: work that would stall every
   * session on it (encoding a large message) must then go elsewhere.
   */
  public static boolean isOnAnEventLoop() {
    return Context.isOnEventLoopThread();
  }

  /** Fails fast when confined code is called from another thread: that would be a race, not a slow path. */
  public void check() {
    if (!isCurrent()) {
      throw new IllegalStateException("SMTP client state used outside its event loop (from "
        + Thread.currentThread().getName() + ")");
    }
  }

  /** Runs {@code action} on the event loop: inline when already there, else by a hop that keeps submission order. */
  public void execute(Runnable action) {
    if (isCurrent()) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  /**
   * Runs {@code action} on the event loop after whatever the current turn still does (a task queued behind it), never
   * inline: for work that should gather what the rest of this turn produces, e.g. one socket write for several.
   */
  public void afterThisTurn(Runnable action) {
    context.runOnContext(v -> action.run());
  }

  /** Runs {@code action} on the event loop and returns its result, completed there. */
  public <T> Future<T> submit(Supplier<Future<T>> action) {
    if (isCurrent()) {
      return call(action);
    }
    // A promise bound to no context: its listeners run where it completes (this event loop). One bound to this
    // context would dispatch to it, and a caller that closes Vert.x in a listener (client.close() then
    // vertx.close()) would have its completion refused by the stopped event loop.
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> call(action).onComplete(promise));
    return promise.future();
  }

  /** An exception thrown by the action fails its future instead of escaping into the event loop, lost. */
  private static <T> Future<T> call(Supplier<Future<T>> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
