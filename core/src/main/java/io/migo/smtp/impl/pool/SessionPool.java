package io.migo.smtp.impl.pool;

import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.impl.session.Session;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Up to {@code maxSize} sessions, each leased to one caller at a time, so that the commands of two messages never
 * interleave on one socket. Confined to the client's context: no locks.
 */
public final class SessionPool {

  private final Supplier<Future<Session>> connector;
  private final int maxSize;
  private final ArrayDeque<Session> idle = new ArrayDeque<>();
  private final ArrayDeque<Promise<Session>> waiters = new ArrayDeque<>();
  private final Set<Session> open = new LinkedHashSet<>();
  private int connecting;
  private boolean closed;

  public SessionPool(Supplier<Future<Session>> connector, int maxSize) {
    this.connector = connector;
    this.maxSize = maxSize;
  }

  /** A session for one message; give it back with {@link #release(Session)}. */
  public Future<Session> acquire() {
    if (closed) {
      return Future.failedFuture(closedError());
    }
    Session session;
    while ((session = idle.pollLast()) != null) {
      if (session.isReusable()) {
        return Future.succeededFuture(session);
      }
      session.quit();
    }
    if (open.size() + connecting < maxSize) {
      return connect();
    }
    Promise<Session> waiter = Promise.promise();
    waiters.add(waiter);
    return waiter.future();
  }

  /** Returns a session after its message; a session in doubt is closed instead of reused. */
  public void release(Session session) {
    if (closed || !session.isReusable()) {
      session.quit();
      return;
    }
    Promise<Session> waiter = waiters.poll();
    if (waiter != null) {
      waiter.complete(session);
    } else {
      idle.add(session);
    }
  }

  /** QUITs idle sessions now and busy ones when released; fails waiters. Completes when every session has closed. */
  public Future<Void> close() {
    closed = true;
    Promise<Session> waiter;
    while ((waiter = waiters.poll()) != null) {
      waiter.fail(closedError());
    }
    Session session;
    while ((session = idle.poll()) != null) {
      session.quit();
    }
    List<Future<Void>> closing = new ArrayList<>();
    for (Session s : open) {
      closing.add(s.closeFuture());
    }
    return Future.join(closing).mapEmpty();
  }

  private Future<Session> connect() {
    connecting++;
    return connector.get().andThen(ar -> connecting--).onSuccess(session -> {
      open.add(session);
      session.closeFuture().onComplete(v -> onClosed(session));
      if (closed) {
        session.quit();
      }
    }).onFailure(t -> serveWaiter());
  }

  private void onClosed(Session session) {
    open.remove(session);
    idle.remove(session);
    serveWaiter();
  }

  /** A slot became free: open a session for the oldest waiter, who gets its failure if it cannot be opened. */
  private void serveWaiter() {
    if (closed || waiters.isEmpty() || open.size() + connecting >= maxSize) {
      return;
    }
    Promise<Session> waiter = waiters.poll();
    connect().onComplete(waiter);
  }

  private static SmtpException closedError() {
    return new SmtpException(SmtpPhase.CONNECT, Reason.CLOSED, "the client is closed");
  }
}
