package io.migo.smtp.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.micrometer.MicrometerSmtpMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;

/**
 * {@code bulk --metrics-port PORT}: the one place the command serves the client's Micrometer meters
 * ({@code migo-smtp-micrometer}), in Prometheus text format on {@code 127.0.0.1:PORT/metrics}, while the job runs.
 * Loopback only: the meters are the operator's, not the network's.
 */
final class MetricsServer {

  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final MicrometerSmtpMetrics metrics;
  private final HttpServer server;

  private MetricsServer(PrometheusMeterRegistry registry, HttpServer server) {
    this.registry = registry;
    this.metrics = new MicrometerSmtpMetrics(registry);
    this.server = server;
  }

  /** Starts serving on {@code 127.0.0.1:port} (0: any free port); the caller closes it once the job is over. */
  static Future<MetricsServer> start(Vertx vertx, int port) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      if (req.method() == HttpMethod.GET && "/metrics".equals(req.path())) {
        req.response().putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE).end(registry.scrape());
      } else {
        req.response().setStatusCode(404).end();
      }
    });
    return server.listen(port, "127.0.0.1")
      .recover(e -> Future.failedFuture(new IllegalArgumentException(
        "--metrics-port " + port + ": cannot listen on 127.0.0.1:" + port + " (" + e.getMessage() + ")", e)))
      .map(listening -> new MetricsServer(registry, listening));
  }

  /** The port it listens on. */
  int port() {
    return server.actualPort();
  }

  /** {@code options} recording into this server's registry: the job calls it before it creates the client. */
  SmtpClientOptions instrument(SmtpClientOptions options) {
    return new SmtpClientOptions(options).setMetrics(metrics);
  }

  /** The gauges of {@code client} (pool, rate limit, session limit, deferred), once it exists. */
  void bind(SmtpClient client) {
    metrics.bindTo(client);
  }

  Future<Void> close() {
    return server.close().andThen(ar -> registry.close());
  }
}
