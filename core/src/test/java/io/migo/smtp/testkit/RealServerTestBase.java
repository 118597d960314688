package io.migo.smtp.testkit;

import io.migo.smtp.PoolOptions;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test against the real servers of {@code scripts/test-servers.sh} starts from: the servers' properties (a
 * missing server fails under CI, see {@link TestServers#require}), one Vert.x for the class, and clients that are
 * closed after each test.
 */
public abstract class RealServerTestBase {

  protected static TestServers servers;
  protected static Vertx vertx;
  private final List<SmtpClient> clients = new ArrayList<>();

  @BeforeAll
  static void requireServersAndStartVertx() {
    servers = TestServers.require();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    if (vertx != null) {
      Await.result(vertx.close());
      vertx = null;
    }
  }

  @AfterEach
  void closeClients() {
    clients.forEach(c -> Await.result(c.close()));
    clients.clear();
  }

  /** A client closed after the test. */
  protected SmtpClient client(SmtpClientOptions options) {
    return client(options, new PoolOptions());
  }

  protected SmtpClient client(SmtpClientOptions options, PoolOptions pool) {
    SmtpClient client = SmtpClient.create(vertx, options, pool);
    clients.add(client);
    return client;
  }
}
