package io.migo.smtp.cli;

import io.migo.smtp.SmtpClientOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * {@code bulk --metrics-port PORT}: the one place the command serves the client's Micrometer meters, in Prometheus
 * text format on {@code 127.0.0.1:PORT/metrics}, while the job runs. The meters come with the library's metrics
 * support, which this build does not include yet; until it is wired in here, asking for them fails before anything
 * is sent.
 */
final class MetricsServer {

  static final String NOT_AVAILABLE = "--metrics-port is not available in this build: it needs the library's "
    + "Micrometer metrics";

  private MetricsServer() {
  }

  /** Starts serving on {@code 127.0.0.1:port}; the caller closes it once the job is over. */
  static Future<MetricsServer> start(Vertx vertx, int port) {
    return Future.failedFuture(new UnsupportedOperationException(NOT_AVAILABLE));
  }

  /**
   * {@code options} with this server's meter registry, so that the client records its meters there: the job calls it
   * before it creates the client.
   */
  SmtpClientOptions instrument(SmtpClientOptions options) {
    return options;
  }

  Future<Void> close() {
    return Future.succeededFuture();
  }
}
