package io.migo.mutiny.smtp;

import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.TlsMode;
import io.migo.smtp.cluster.ClusterClientOptions;
import io.migo.smtp.cluster.ClusterOptions;
import io.migo.smtp.cluster.ClusterSmtpClient;
import io.migo.smtp.cluster.SmtpCluster;
import io.migo.smtp.cluster.SmtpWorkerVerticle;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.CountingSink;
import io.smallrye.mutiny.Multi;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The Mutiny facade wraps the cluster's producer as it wraps any SmtpClient: nothing of it changes. */
class ClusterFacadeTest {

  @Test
  void theFacadeSendsThroughAClusterWorker() throws IOException {
    int workerPort = freePort();
    int producerPort = freePort();
    List<String> members = List.of("127.0.0.1:" + workerPort, "127.0.0.1:" + producerPort);
    String name = "migo-mutiny-" + UUID.randomUUID();
    Vertx worker = Await.result(SmtpCluster.join(new ClusterOptions().setPort(workerPort).setMembers(members)
      .setClusterName(name)));
    Vertx producerVertx = Await.result(SmtpCluster.join(new ClusterOptions().setPort(producerPort)
      .setMembers(members).setClusterName(name)));
    try {
      CountingSink sink = new CountingSink(worker, 20);
      int sinkPort = Await.result(sink.start());
      Await.result(worker.deployVerticle(new SmtpWorkerVerticle(new SmtpClientOptions().setHost("127.0.0.1")
        .setPort(sinkPort).setTlsMode(TlsMode.NONE).setEhloName("worker.example"), new PoolOptions().setMaxSize(2))));
      SmtpClient client = SmtpClient.newInstance(ClusterSmtpClient.create(producerVertx, new ClusterClientOptions()));

      assertThat(client.sendAndAwait(Envelope.of("a@example.test", "b@example.test"), message(0))
        .acceptedRecipients()).containsExactly("b@example.test");
      List<SendOutcome> outcomes = client.sendAll(Multi.createFrom().range(1, 20).map(i -> Mail.raw(
          Envelope.of("a@example.test", "b@example.test"), message(i)).withCorrelationId(i)))
        .collect().asList().await().atMost(Duration.ofMinutes(2));
      client.closeAndAwait();

      assertThat(outcomes).hasSize(19).extracting(SendOutcome::status).containsOnly(Status.DELIVERED);
      IntStream.range(0, 20).forEach(seq -> assertThat(sink.timesAccepted(seq)).isEqualTo(1));
      assertThat(client.progress().delivered()).isEqualTo(20);
    } finally {
      Await.result(producerVertx.close());
      Await.result(worker.close());
    }
  }

  private static Buffer message(int seq) {
    return Buffer.buffer("X-Seq: " + seq + "\r\nSubject: " + seq + "\r\n\r\nhello\r\n");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
