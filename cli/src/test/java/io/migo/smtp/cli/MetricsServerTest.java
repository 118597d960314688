package io.migo.smtp.cli;

import io.migo.smtp.Envelope;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bulk --metrics-port}: the client's meters in Prometheus text format on 127.0.0.1, while it sends. */
class MetricsServerTest extends ScriptedClientTestBase {

  @Test
  void servesTheClientsMetersInPrometheusFormat() throws Exception {
    server.script(greeting(), ehloPipelining()).loop(simpleTransactionPipelined(), queued());
    MetricsServer metrics = Await.result(MetricsServer.start(vertx, 0));
    SmtpClientOptions options = metrics.instrument(plainOptions(listen()));
    SmtpClient sending = SmtpClient.create(vertx, options);
    client = sending;
    metrics.bind(sending);
    for (int i = 0; i < 3; i++) {
      Await.result(sending.send(Envelope.of("a@example.test", "b@example.test"), Buffer.buffer(MESSAGE)));
    }

    HttpResponse<String> response = HttpClient.newHttpClient().send(
      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port() + "/metrics")).build(),
      HttpResponse.BodyHandlers.ofString());
    Await.result(metrics.close());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue(MetricsServer.CONTENT_TYPE);
    assertThat(response.body()).contains("migo_smtp_messages_total{outcome=\"delivered\"} 3.0")
      .contains("migo_smtp_pool_idle").contains("migo_smtp_sessions_opened_total 1.0");
  }
}
