package io.migo.smtp.impl.pool;

import io.migo.smtp.PoolOptions;
import io.migo.smtp.PoolStats;
import io.migo.smtp.PoolStats.CloseReason;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpMetrics;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.ThrottlingRules;
import io.migo.smtp.ThrottlingRules.Kind;
import io.migo.smtp.impl.ClientContext;
import io.migo.smtp.impl.FailurePolicy;
import io.migo.smtp.impl.pacing.SessionLimit;
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
 * interleave on one socket — with one overlap: a session whose message has written all its content and awaits only
 * its verdict ({@link Session#canTakeNext()}) is leased to the next waiting message too, whose envelope then rides
 * in the write of the final dot (RFC 2920 §3.1), one round trip per message. Each message still releases the
 * session once, with its own outcome; the session goes back to the idle list when the last of them has. Idle sessions are reused most-recently-used first (the warmest), and ended with QUIT
 * when idle too long, too old or after their message quota. Waiters queue up to a bound, each with a deadline.
 *
 * <p>The relay's limits are learned, not fought ({@link ThrottlingRules}): after a connection-limit reply the pool
 * opens fewer sessions than {@code maxSize} (the current limit drops to the sessions the relay holds, then probes
 * for one more now and then: {@link SessionLimit}), and the messages waiting — the one whose session was refused
 * too — keep waiting for a session instead of failing or timing out; after a "too many messages" 421 on a session's (N+1)th message, no session carries more
 * than N; after a quota reply the pool stops as {@link #stop} describes.
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
  private final ThrottlingRules throttlingRules;
  /** Told of each session opened, closed (with the reason counted in the stats) or failed to open. */
  private final SmtpMetrics metrics;

  /** How many sessions may be open now: {@code maxSize} until the relay says fewer. */
  private final SessionLimit sessionLimit;
  /** Connection-limit refusals the pool took in its stride: the message waited for an open session instead. */
  private volatile long absorbedRefusals;
  /** Messages per session the relay was seen to allow (a 421 "too many messages" after them); 0 while unknown. */
  private int learnedMessagesPerSession;
  private volatile int currentSessionLimit;

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
    /** Messages it carries now: 0 while idle, 2 while one rides behind another's verdict. */
    int leases;

    PooledSession(Session session) {
      this.session = session;
    }
  }

  private static final class Waiter {
    final Promise<Session> promise = Promise.promise();
    long timer = -1;
  }

  public SessionPool(Vertx vertx, ClientContext context, Supplier<Future<Session>> connector, PoolOptions options) {
    this(vertx, context, connector, options, ThrottlingRules.none());
  }

  public SessionPool(Vertx vertx, ClientContext context, Supplier<Future<Session>> connector, PoolOptions options,
                     ThrottlingRules throttlingRules) {
    this(vertx, context, connector, options, throttlingRules, SmtpMetrics.NONE);
  }

  public SessionPool(Vertx vertx, ClientContext context, Supplier<Future<Session>> connector, PoolOptions options,
                     ThrottlingRules throttlingRules, SmtpMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.context = context;
    this.connector = connector;
    this.maxSize = options.getMaxSize();
    this.maxWaiters = options.getMaxWaitQueueSize();
    this.acquireTimeoutMs = options.getAcquireTimeout().toMillis();
    this.maxMessagesPerSession = options.getMaxMessagesPerSession();
    this.maxLifetimeNanos = options.getMaxLifetime().toNanos();
    this.idleTimeoutNanos = options.getIdleTimeout().toNanos();
    this.throttlingRules = throttlingRules;
    this.sessionLimit = new SessionLimit(maxSize);
    this.currentSessionLimit = maxSize;
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
        return Future.succeededFuture(lease(pooled));
      }
    }
    if (mayConnect()) {
      return connectForMessage();
    }
    for (PooledSession busy : open.values()) {
      if (mayTakeNext(busy)) {
        return Future.succeededFuture(lease(busy));
      }
    }
    return enqueueWaiter();
  }

  /** Hands {@code pooled} to one more message. */
  private Session lease(PooledSession pooled) {
    pooled.leases++;
    publishStats();
    return pooled.session;
  }

  /**
   * Whether a busy session may take one more message behind the one it carries (see {@link Session#canTakeNext()}):
   * only one behind another, and only within the session's quota and lifetime, which {@link #isUsable} would
   * otherwise enforce when it comes back.
   */
  private boolean mayTakeNext(PooledSession pooled) {
    return pooled.leases == 1 && !closed && stopped == null && pooled.session.canTakeNext() && withinLimits(pooled);
  }

  /** The session's message is past its content: the oldest waiting message may go behind it. */
  private void offerNext(PooledSession pooled) {
    context.check();
    if (waiters.isEmpty() || !mayTakeNext(pooled)) {
      return;
    }
    Waiter waiter = waiters.poll();
    vertx.cancelTimer(waiter.timer);
    waiter.promise.complete(lease(pooled));
  }

  /**
   * Whether another session may be opened now: below the maximum, and — until a session of this pool has opened —
   * only one at a time, so that wrong credentials or an untrusted certificate fail once at the relay, not once per
   * waiting message. The first handshake proves the settings; the others then open side by side.
   */
  private boolean mayConnect() {
    return open.size() + connecting < currentSessionLimit && (created > 0 || connecting == 0);
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
    release(session, failure, session.transactions());
  }

  /**
   * As {@link #release(Session, Throwable)}, for the message that was the {@code ordinal}th on the session (1 for its
   * first): with a message pipelined behind it, the session's own count may already include the next one.
   */
  public void release(Session session, Throwable failure, int ordinal) {
    context.check();
    if (failure != null) {
      learnFrom(ordinal, failure);
    } else if (sessionLimit.isBelowMax()) {
      growSessionLimit();
    }
    recycle(session);
  }

  /** Returns a session that carried no message (its message was held back after all): nothing to learn from it. */
  public void releaseUnused(Session session) {
    context.check();
    recycle(session);
  }

  /** One message gave the session back; the last one to do so decides what becomes of it. */
  private void recycle(Session session) {
    PooledSession pooled = open.get(session);
    if (pooled == null) {
      return; // already closed and forgotten
    }
    if (pooled.leases > 0) {
      pooled.leases--;
    }
    if (pooled.leases > 0) {
      // Another message still rides on it: the session is not free, but may take the next behind that one.
      offerNext(pooled);
      publishStats();
      return;
    }
    if (closed) {
      retire(pooled, CloseReason.CLIENT_CLOSED);
    } else if (stopped != null) {
      pooled.idleSinceNanos = System.nanoTime();
      idle.addLast(pooled); // no message will come: it is QUIT at close or when idle too long
    } else if (!pooled.session.isReusable()) {
      // It ended, or was left in doubt, while it carried the message — closed by the server or by the client's own
      // abort: a failure, not a server closing an idle session.
      retire(pooled, CloseReason.FAILED);
    } else if (isUsable(pooled)) {
      Waiter waiter = waiters.poll();
      if (waiter != null) {
        vertx.cancelTimer(waiter.timer);
        waiter.promise.complete(lease(pooled));
      } else {
        pooled.idleSinceNanos = System.nanoTime();
        idle.addLast(pooled);
      }
    }
    publishStats();
  }

  /**
   * What a message's failure on {@code session} teaches: stop (see {@link FailurePolicy#stopCause}), or the number of
   * messages the relay allows per session — the ones before this one.
   */
  private void learnFrom(int ordinal, Throwable failure) {
    SmtpException stopCause = FailurePolicy.stopCause(failure, throttlingRules);
    if (stopCause != null) {
      stop(stopCause);
    } else if (FailurePolicy.throttling(failure, throttlingRules) == Kind.SESSION_MESSAGE_LIMIT) {
      int allowed = Math.max(1, ordinal - 1);
      learnedMessagesPerSession = learnedMessagesPerSession == 0 ? allowed : Math.min(learnedMessagesPerSession, allowed);
    }
  }

  /** The relay accepts: now and then one session more, up to maxSize (see {@link SessionLimit}). */
  private void growSessionLimit() {
    if (sessionLimit.accepted()) {
      currentSessionLimit = sessionLimit.current();
      serveWaiters();
    }
  }

  /**
   * A session was turned away because the relay has too many from this client: no more than are open now (see
   * {@link SessionLimit}). With none open, the waiting messages fail with the refusal (the client defers each,
   * backing off) instead of being served by connection after refused connection; otherwise they wait for a session
   * to be released.
   */
  private void lowerSessionLimit(Throwable refusal) {
    sessionLimit.refused(open.size());
    currentSessionLimit = sessionLimit.current();
    if (open.isEmpty()) {
      Waiter waiter;
      while ((waiter = waiters.poll()) != null) {
        vertx.cancelTimer(waiter.timer);
        waiter.promise.tryFail(refusal);
      }
    }
    publishStats();
  }

  /** How many sessions the pool may have open now (maxSize unless a relay said fewer). Any thread. */
  public int sessionLimit() {
    return currentSessionLimit;
  }

  /** Connection-limit refusals that cost no message a deferral (it waited for an open session). Any thread. */
  public long absorbedRefusals() {
    return absorbedRefusals;
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

  /**
   * Opens a session for one message. When the relay refuses it for its connection limit while sessions of this pool
   * are open, the message waits for one of those instead of failing: the relay takes it on them, and the refusal has
   * already lowered the limit ({@link #connectFailed}, which runs first).
   */
  private Future<Session> connectForMessage() {
    return connect().map(session -> {
      PooledSession pooled = open.get(session);
      return pooled == null ? session : lease(pooled);
    }).recover(failure -> {
      if (open.isEmpty() || closed || stopped != null
        || FailurePolicy.throttling(failure, throttlingRules) != Kind.CONNECTION_LIMIT) {
        return Future.failedFuture(failure);
      }
      absorbedRefusals++; // written on the context only
      metrics.throttled(Kind.CONNECTION_LIMIT);
      return enqueueWaiter();
    });
  }

  private Future<Session> connect() {
    connecting++;
    return connector.get().andThen(ar -> connecting--).onSuccess(this::adopt).onFailure(this::connectFailed);
  }

  private void connectFailed(Throwable failure) {
    SmtpException error = SmtpException.of(failure);
    metrics.sessionFailed(failure instanceof SmtpException ? error.phase() : SmtpPhase.CONNECT, error.reason());
    SmtpException stopCause = FailurePolicy.stopCause(failure, throttlingRules);
    if (stopCause != null) {
      stop(stopCause);
    } else if (FailurePolicy.throttling(failure, throttlingRules) == Kind.CONNECTION_LIMIT) {
      lowerSessionLimit(failure);
    } else {
      serveWaiters();
    }
  }

  private void adopt(Session session) {
    PooledSession pooled = new PooledSession(session);
    open.put(session, pooled);
    session.onNextMayFollow(() -> offerNext(pooled));
    created++;
    metrics.sessionOpened();
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
    if (reachedMessageLimit(pooled)) {
      retire(pooled, CloseReason.MESSAGE_LIMIT);
      return false;
    }
    if (reachedLifetime(pooled)) {
      retire(pooled, CloseReason.LIFETIME);
      return false;
    }
    return true;
  }

  /** Within its message quota and lifetime: the checks of {@link #isUsable} that do not need the session idle. */
  private boolean withinLimits(PooledSession pooled) {
    return !reachedMessageLimit(pooled) && !reachedLifetime(pooled);
  }

  private boolean reachedMessageLimit(PooledSession pooled) {
    int perSession = learnedMessagesPerSession == 0 ? maxMessagesPerSession
      : maxMessagesPerSession > 0 ? Math.min(maxMessagesPerSession, learnedMessagesPerSession) : learnedMessagesPerSession;
    return perSession > 0 && pooled.session.transactions() >= perSession;
  }

  private boolean reachedLifetime(PooledSession pooled) {
    return maxLifetimeNanos > 0 && System.nanoTime() - pooled.createdNanos >= maxLifetimeNanos;
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
    metrics.sessionClosed(reason);
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
    armTimeout(waiter);
    waiters.add(waiter);
    publishStats();
    return waiter.promise.future();
  }

  /**
   * The waiter's acquire timeout; while the relay holds the pool below maxSize and sessions are open, a waiter that
   * times out waits on: the wait is the relay's limit, not a pool too small for the load.
   */
  private void armTimeout(Waiter waiter) {
    waiter.timer = vertx.setTimer(acquireTimeoutMs, id -> {
      if (!waiters.contains(waiter)) {
        return;
      }
      if (currentSessionLimit < maxSize && !open.isEmpty() && stopped == null && !closed) {
        armTimeout(waiter);
        return;
      }
      waiters.remove(waiter);
      publishStats();
      waiter.promise.tryFail(new SmtpException(SmtpPhase.CONNECT, Reason.POOL_EXHAUSTED,
        "no session became free within " + acquireTimeoutMs + " ms"));
    });
  }

  /** Slots are free: open sessions for the oldest waiters, each of whom gets its own session's failure if any. */
  private void serveWaiters() {
    while (!closed && stopped == null && !waiters.isEmpty() && mayConnect()) {
      Waiter waiter = waiters.poll();
      vertx.cancelTimer(waiter.timer);
      publishStats();
      connectForMessage().onComplete(waiter.promise);
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
