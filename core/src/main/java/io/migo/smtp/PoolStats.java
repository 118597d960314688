package io.migo.smtp;

import java.util.Map;

/**
 * A snapshot of the session pool.
 *
 * @param maxSize the most sessions the pool opens at once ({@link PoolOptions#getMaxSize()})
 * @param active  sessions carrying a message now
 * @param idle    open sessions waiting for a message
 * @param waiting sends waiting for a session
 * @param created sessions opened successfully since the client was created
 * @param closed  sessions closed since the client was created, by reason
 */
public record PoolStats(int maxSize, int active, int idle, int waiting, long created, Map<CloseReason, Long> closed) {

  /** Why a session was closed. */
  public enum CloseReason {
    /** Idle longer than {@link PoolOptions#getIdleTimeout()}. */
    IDLE_TIMEOUT,
    /** Older than {@link PoolOptions#getMaxLifetime()}. */
    LIFETIME,
    /** Carried {@link PoolOptions#getMaxMessagesPerSession()} messages. */
    MESSAGE_LIMIT,
    /**
     * A failure ended it or left it in doubt ({@link SmtpException#endsSession()}: I/O error, timeout, 421, protocol
     * error), so it was not reused.
     */
    FAILED,
    /** The server closed it while it was idle. */
    SERVER_CLOSED,
    /** The client was closed. */
    CLIENT_CLOSED
  }

  public PoolStats {
    closed = Map.copyOf(closed);
  }

  /** Sessions closed for any reason. */
  public long closedTotal() {
    return closed.values().stream().mapToLong(Long::longValue).sum();
  }
}
