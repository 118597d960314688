package io.migo.smtp.impl.pool;

import io.migo.smtp.PoolOptions;
import io.migo.smtp.PoolStats;
import io.migo.smtp.PoolStats.CloseReason;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.impl.ClientContext;
import io.migo.smtp.impl.FailurePolicy;
import io.migo.smtp.impl.session.Session;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Up to {@code maxSize} sessions, each leased to one message at a time, so that the commands of two messages never
 * interleave on one socket. Idle sessions are reused most-recently-used first (the warmest), and ended with QUIT
 * when idle too long, too old or after their message quota. Waiters queue up to a bound, each with a deadline.
 *
 * <p>Confined to the client's context: no locks, and every entry point checks it is there. The one field read from
 * other threads is the published {@link #stats()}, remade from the collections after every change, so that no
 * counter can drift from what it counts.
 */
public final class SessionPool {

  private final Vertx vertx;
  private final ClientContext context;
  private final Supplier<Future<Session>> connector;
  private final int maxSize;
  private final int maxWaiters;
  private final long acquireTimeoutMs;
  private final int maxMessagesPerSession;
  private final long maxLifetimeNanos;
  private final long idleTimeoutNanos;

  private final ArrayDeque<PooledSession> idle = new ArrayDeque<>();
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private final Map<Session, PooledSession> open = new IdentityHashMap<>();
  private final EnumMap<CloseReason, Long> closedByReason = new EnumMap<>(CloseReason.class);
  /** Connections being opened: they are in no collection until their handshake ends. */
  private int connecting;
  private long created;
  private Map<CloseReason, Long> closedSnapshot = Map.of();
  private boolean closed;
  /**
   * Why no session can be opened any more ({@link FailurePolicy#stopsTheClient}): every later acquire fails with it at
   * once, instead of repeating the failure at the relay.
   */
  private SmtpException stopped;
  private long sweepTimer = -1;
  /** What {@link #stats()} returns, to any thread; remade by {@link #publishStats()} alone. */
  private volatile PoolStats stats;

  /** A session and what the pool knows of it. */
  private static final class PooledSession {
    final Session session;
    final long createdNanos = System.nanoTime();
    long idleSinceNanos;
    CloseReason closeReason;

    PooledSession(Session session) {
      this.session = session;
    }
  }

  private static final class Waiter {
    final Promise<Session> promise = Promise.promise();
    long timer = -1;
  }

  public SessionPool(Vertx vertx, ClientContext context, Supplier<Future<Session>> connector, PoolOptions options) {
    this.vertx = vertx;
    this.context = context;
    this.connector = connector;
    this.maxSize = options.getMaxSize();
    this.maxWaiters = options.getMaxWaitQueueSize();
    this.acquireTimeoutMs = options.getAcquireTimeout().toMillis();
    this.maxMessagesPerSession = options.getMaxMessagesPerSession();
    this.maxLifetimeNanos = options.getMaxLifetime().toNanos();
    this.idleTimeoutNanos = options.getIdleTimeout().toNanos();
    publishStats();
  }

  // ------------------------------------------------------------------ lease

  /** A session for one message; give it back with {@link #release(Session)}. */
  public Future<Session> acquire() {
    context.check();
    if (closed) {
      return Future.failedFuture(closedError());
    }
    if (stopped != null) {
      return Future.failedFuture(stopped);
    }
    PooledSession pooled;
    while ((pooled = idle.pollLast()) != null) {
      if (isUsable(pooled)) {
        publishStats();
        return Future.succeededFuture(pooled.session);
      }
    }
    if (mayConnect()) {
      return connect();
    }
    return enqueueWaiter();
  }

  /**
   * Whether another session may be opened now: below the maximum, and — until a session of this pool has opened —
   * only one at a time, so that wrong credentials or an untrusted certificate fail once at the relay, not once per
   * waiting message. The first handshake proves the settings; the others then open side by side.
   */
  private boolean mayConnect() {
    return open.size() + connecting < maxSize && (created > 0 || connecting == 0);
  }

  /**
   * Opens no more sessions: {@code cause} (see {@link FailurePolicy#stopsTheClient}) is what every waiting and every
   * later acquire fails with. Messages already on a session finish there; the sessions then take no new ones.
   */
  public void stop(SmtpException cause) {
    context.check();
    if (stopped != null || closed) {
      return;
    }
    stopped = cause;
    Waiter waiter;
    while ((waiter = waiters.poll()) != null) {
      vertx.cancelTimer(waiter.timer);
      waiter.promise.tryFail(cause);
    }
    publishStats();
  }

  /** Returns a session after its message. A session in doubt, or past its quota or lifetime, is ended instead. */
  public void release(Session session) {
    release(session, null);
  }

  /**
   * Returns a session after its message, which failed with {@code failure} unless that is null. A failure that no
   * session of this client can overcome (e.g. 530 at MAIL) stops the pool first, so that the session does not go to
   * the next waiting message.
   */
  public void release(Session session, Throwable failure) {
    context.check();
    if (failure != null && FailurePolicy.stopsTheClient(failure)) {
      stop((SmtpException) failure);
    }
    PooledSession pooled = open.get(session);
    if (pooled == null) {
      return; // already closed and forgotten
    }
    if (closed) {
      retire(pooled, CloseReason.CLIENT_CLOSED);
    } else if (stopped != null) {
      pooled.idleSinceNanos = System.nanoTime();
      idle.addLast(pooled); // no message will come: it is QUIT at close or when idle too long
    } else if (isUsable(pooled)) {
      Waiter waiter = waiters.poll();
      if (waiter != null) {
        vertx.cancelTimer(waiter.timer);
        waiter.promise.complete(session);
      } else {
        pooled.idleSinceNanos = System.nanoTime();
        idle.addLast(pooled);
      }
    }
    publishStats();
  }

  /** QUITs idle sessions now and busy ones when released; fails waiters. Completes when every session has closed. */
  public Future<Void> close() {
    context.check();
    closed = true;
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    Waiter waiter;
    while ((waiter = waiters.poll()) != null) {
      vertx.cancelTimer(waiter.timer);
      waiter.promise.tryFail(closedError());
    }
    PooledSession pooled;
    while ((pooled = idle.poll()) != null) {
      retire(pooled, CloseReason.CLIENT_CLOSED);
    }
    publishStats();
    List<Future<Void>> closing = new ArrayList<>();
    for (Session s : open.keySet()) {
      closing.add(s.closeFuture());
    }
    return Future.join(closing).mapEmpty();
  }

  /** Readable from any thread. */
  public PoolStats stats() {
    return stats;
  }

  // ------------------------------------------------------------------ lifecycle of sessions

  private Future<Session> connect() {
    connecting++;
    return connector.get().andThen(ar -> connecting--).onSuccess(this::adopt).onFailure(this::connectFailed);
  }

  private void connectFailed(Throwable failure) {
    if (FailurePolicy.stopsTheClient(failure)) {
      stop((SmtpException) failure);
    } else {
      serveWaiters();
    }
  }

  private void adopt(Session session) {
    PooledSession pooled = new PooledSession(session);
    open.put(session, pooled);
    created++;
    session.closeFuture().onComplete(v -> onClosed(pooled));
    if (closed) {
      retire(pooled, CloseReason.CLIENT_CLOSED);
    }
    ensureSweeping();
    serveWaiters(); // the first session proved the settings: the messages waiting for it get sessions of their own
    publishStats();
  }

  /**
   * Whether a session may carry another message; if not, it is retired with the reason. The checks are ordered so
   * that the recorded reason is the most telling one.
   */
  private boolean isUsable(PooledSession pooled) {
    if (!pooled.session.isReusable()) {
      retire(pooled, pooled.session.isClosed() ? CloseReason.SERVER_CLOSED : CloseReason.FAILED);
      return false;
    }
    if (maxMessagesPerSession > 0 && pooled.session.transactions() >= maxMessagesPerSession) {
      retire(pooled, CloseReason.MESSAGE_LIMIT);
      return false;
    }
    if (maxLifetimeNanos > 0 && System.nanoTime() - pooled.createdNanos >= maxLifetimeNanos) {
      retire(pooled, CloseReason.LIFETIME);
      return false;
    }
    return true;
  }

  /** Ends a session (QUIT when idle, else a plain close); the reason is counted once it has closed. */
  private void retire(PooledSession pooled, CloseReason reason) {
    if (pooled.closeReason == null) {
      pooled.closeReason = reason;
    }
    idle.remove(pooled);
    pooled.session.quit();
  }

  private void onClosed(PooledSession pooled) {
    open.remove(pooled.session);
    boolean wasIdle = idle.remove(pooled);
    // Closed without the pool asking: by the server while idle, or by a failure while carrying a message.
    CloseReason reason = pooled.closeReason != null ? pooled.closeReason
      : closed ? CloseReason.CLIENT_CLOSED : wasIdle ? CloseReason.SERVER_CLOSED : CloseReason.FAILED;
    closedByReason.merge(reason, 1L, Long::sum);
    closedSnapshot = Map.copyOf(closedByReason);
    serveWaiters();
    publishStats();
  }

  // ------------------------------------------------------------------ waiting

  private Future<Session> enqueueWaiter() {
    if (waiters.size() >= maxWaiters) {
      return Future.failedFuture(new SmtpException(SmtpPhase.CONNECT, Reason.POOL_EXHAUSTED,
        "all " + maxSize + " sessions are busy and " + maxWaiters + " sends already wait for one"));
    }
    Waiter waiter = new Waiter();
    waiter.timer = vertx.setTimer(acquireTimeoutMs, id -> {
      if (waiters.remove(waiter)) {
        publishStats();
        waiter.promise.tryFail(new SmtpException(SmtpPhase.CONNECT, Reason.POOL_EXHAUSTED,
          "no session became free within " + acquireTimeoutMs + " ms"));
      }
    });
    waiters.add(waiter);
    publishStats();
    return waiter.promise.future();
  }

  /** Slots are free: open sessions for the oldest waiters, each of whom gets its own session's failure if any. */
  private void serveWaiters() {
    while (!closed && stopped == null && !waiters.isEmpty() && mayConnect()) {
      Waiter waiter = waiters.poll();
      vertx.cancelTimer(waiter.timer);
      publishStats();
      connect().onComplete(waiter.promise);
    }
  }

  // ------------------------------------------------------------------ idle sweeping

  /**
   * One periodic sweep rather than a timer per idle period: a message then costs no timer creation or
   * cancellation, and an idle session is closed within a quarter of the idle timeout after it expires.
   */
  private void ensureSweeping() {
    if (sweepTimer >= 0 || idleTimeoutNanos <= 0 && maxLifetimeNanos <= 0) {
      return;
    }
    long base = idleTimeoutNanos > 0 ? idleTimeoutNanos : maxLifetimeNanos;
    long periodMs = Math.max(10, base / 4 / 1_000_000L);
    sweepTimer = vertx.setPeriodic(periodMs, id -> sweep());
  }

  private void sweep() {
    long now = System.nanoTime();
    for (PooledSession pooled : new ArrayList<>(idle)) {
      if (idleTimeoutNanos > 0 && now - pooled.idleSinceNanos >= idleTimeoutNanos) {
        retire(pooled, CloseReason.IDLE_TIMEOUT);
      } else {
        isUsable(pooled);
      }
    }
    publishStats();
  }

  /** The only writer of {@link #stats}: every count is read off the collections it counts. */
  private void publishStats() {
    stats = new PoolStats(maxSize, open.size() - idle.size(), idle.size(), waiters.size(), created, closedSnapshot);
  }

  private static SmtpException closedError() {
    return new SmtpException(SmtpPhase.CONNECT, Reason.CLOSED, "the client is closed");
  }
}
