package io.migo.smtp.examples;

import io.migo.smtp.demo.EmbeddedSmtpServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One embedded server and one Vert.x per test class; the server's memory is cleared before each test. */
abstract class EmbeddedServerTestBase {

  static EmbeddedSmtpServer server;
  static Vertx vertx;

  @BeforeAll
  static void startServer() {
    server = new EmbeddedSmtpServer().start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopServer() {
    if (vertx != null) {
      vertx.close().await();
    }
    if (server != null) {
      server.stop();
    }
  }

  @BeforeEach
  void resetServer() {
    server.reset();
  }

  static ExampleSettings settings() {
    return ExampleSettings.of(server);
  }
}
