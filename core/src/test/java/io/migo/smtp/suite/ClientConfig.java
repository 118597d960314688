package io.migo.smtp.suite;

import io.migo.smtp.PoolOptions;

/**
 * How the suite's client reaches the server: through one session that every message shares, or a pool of several
 * that concurrent messages spread over (cf. vertx-sql-client's TCK {@code ClientConfig {CONNECT, POOLED}}).
 */
enum ClientConfig {

  SINGLE_SESSION(1),
  POOLED(4);

  final int maxSessions;

  ClientConfig(int maxSessions) {
    this.maxSessions = maxSessions;
  }

  PoolOptions poolOptions() {
    return new PoolOptions().setMaxSize(maxSessions);
  }
}
