package io.migo.smtp;

import java.time.Duration;
import java.util.Objects;

/**
 * How the client pools its sessions. Each session is an authenticated connection that carries one message at a
 * time; connecting, TLS and AUTH are paid once per session. Copied by the client at creation.
 */
public class PoolOptions {

  public static final int DEFAULT_MAX_SIZE = 4;
  public static final int DEFAULT_MAX_WAIT_QUEUE_SIZE = 10_000;
  public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_MESSAGES_PER_SESSION = 1_000;
  public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofMinutes(10);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  private int maxSize = DEFAULT_MAX_SIZE;
  private int maxWaitQueueSize = DEFAULT_MAX_WAIT_QUEUE_SIZE;
  private Duration acquireTimeout = DEFAULT_ACQUIRE_TIMEOUT;
  private int maxMessagesPerSession = DEFAULT_MAX_MESSAGES_PER_SESSION;
  private Duration maxLifetime = DEFAULT_MAX_LIFETIME;
  private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

  public PoolOptions() {
  }

  public PoolOptions(PoolOptions other) {
    this.maxSize = other.maxSize;
    this.maxWaitQueueSize = other.maxWaitQueueSize;
    this.acquireTimeout = other.acquireTimeout;
    this.maxMessagesPerSession = other.maxMessagesPerSession;
    this.maxLifetime = other.maxLifetime;
    this.idleTimeout = other.idleTimeout;
  }

  public int getMaxSize() {
    return maxSize;
  }

  /** How many sessions may be open at once: the number of messages in flight. */
  public PoolOptions setMaxSize(int maxSize) {
    if (maxSize < 1) {
      throw new IllegalArgumentException("maxSize must be at least 1");
    }
    this.maxSize = maxSize;
    return this;
  }

  public int getMaxWaitQueueSize() {
    return maxWaitQueueSize;
  }

  /** How many sends may wait for a session; one more fails at once with reason {@code POOL_EXHAUSTED}. */
  public PoolOptions setMaxWaitQueueSize(int maxWaitQueueSize) {
    if (maxWaitQueueSize < 0) {
      throw new IllegalArgumentException("maxWaitQueueSize must not be negative");
    }
    this.maxWaitQueueSize = maxWaitQueueSize;
    return this;
  }

  public Duration getAcquireTimeout() {
    return acquireTimeout;
  }

  /** How long a send may wait for a session before it fails with reason {@code POOL_EXHAUSTED}. */
  public PoolOptions setAcquireTimeout(Duration acquireTimeout) {
    this.acquireTimeout = positive(acquireTimeout, "acquireTimeout");
    return this;
  }

  public int getMaxMessagesPerSession() {
    return maxMessagesPerSession;
  }

  /**
   * After this many messages a session is ended with QUIT and replaced (relays often limit messages per
   * connection); 0 for no limit.
   */
  public PoolOptions setMaxMessagesPerSession(int maxMessagesPerSession) {
    if (maxMessagesPerSession < 0) {
      throw new IllegalArgumentException("maxMessagesPerSession must not be negative");
    }
    this.maxMessagesPerSession = maxMessagesPerSession;
    return this;
  }

  public Duration getMaxLifetime() {
    return maxLifetime;
  }

  /** A session older than this is ended with QUIT when it next becomes idle; {@link Duration#ZERO} for no limit. */
  public PoolOptions setMaxLifetime(Duration maxLifetime) {
    this.maxLifetime = notNegative(maxLifetime, "maxLifetime");
    return this;
  }

  public Duration getIdleTimeout() {
    return idleTimeout;
  }

  /**
   * A session idle this long is ended with QUIT, before the server's own timeout (Postfix: 300 s) drops it;
   * {@link Duration#ZERO} to keep idle sessions open.
   */
  public PoolOptions setIdleTimeout(Duration idleTimeout) {
    this.idleTimeout = notNegative(idleTimeout, "idleTimeout");
    return this;
  }

  private static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return d;
  }

  private static Duration notNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative");
    }
    return d;
  }
}
