package io.migo.smtp.cluster.it;

import io.migo.smtp.BulkOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.cluster.ClusterClientOptions;
import io.migo.smtp.cluster.ClusterOptions;
import io.migo.smtp.cluster.ClusterSmtpClient;
import io.migo.smtp.cluster.SmtpCluster;
import io.migo.smtp.cluster.SmtpWorkerVerticle;
import io.migo.smtp.impl.bulk.CountingSource;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.TestServers;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A throttling reply that one worker meets slows the whole cluster (issue 14, part 4): two workers in this JVM send
 * through Postfix's rate-limited submission port (10 messages per 10 s unit from one client), the producer asks for
 * far more. Every message must still be delivered, the producer must have counted the relay's refusals and lowered
 * the cluster's rate below its maximum while the job ran.
 *
 * <p>Not speed-bound: the relay's limit holds whatever the machine's speed, and the job asks for 5 times more than
 * it allows, so refusals come on any machine that can send 11 messages in 10 s.
 */
class ClusterThrottlingIT {

  private static final int MESSAGES = 25;
  private static final double MAX_RATE = 50;

  @Test
  void aThrottlingReplyToOneWorkerLowersTheClustersRate() throws Exception {
    TestServers servers = TestServers.require();
    int relayPort = servers.port("postfix.limited.submission.port");
    List<Integer> ports = List.of(freePort(), freePort(), freePort());
    List<String> members = ports.stream().map(p -> "127.0.0.1:" + p).toList();
    String name = "migo-throttle-" + UUID.randomUUID();
    List<Vertx> nodes = new ArrayList<>();
    try {
      for (int port : ports) {
        nodes.add(Await.result(SmtpCluster.join(new ClusterOptions().setPort(port).setMembers(members)
          .setClusterName(name))));
      }
      for (int i = 0; i < 2; i++) {
        Await.result(nodes.get(i).deployVerticle(new SmtpWorkerVerticle(servers.verifiedOptions(relayPort)
          .setCredentials(servers.user(), servers.password()), new PoolOptions().setMaxSize(1))));
      }
      Vertx p = nodes.get(2);
      ClusterSmtpClient producer = ClusterSmtpClient.create(p, new ClusterClientOptions().setMaxRate(MAX_RATE)
        .setMaxSessions(2));
      Await.until(() -> Await.result(producer.workers()).size() == 2, "both workers known");
      AtomicReference<Double> lowest = new AtomicReference<>(MAX_RATE);
      long watch = p.setPeriodic(50, id -> {
        double now = producer.progress().rateLimit();
        if (now > 0 && now < lowest.get()) {
          lowest.set(now);
        }
      });

      List<SendOutcome> outcomes = new CopyOnWriteArrayList<>();
      Promise<Void> done = Promise.promise();
      p.runOnContext(v -> producer.sendAll(CountingSource.of(MESSAGES, n -> mail(servers, n)), new BulkOptions())
        .endHandler(end -> done.tryComplete()).handler(outcomes::add));
      Await.untilDone(done.future(), "the throttled job", outcomes::size);
      p.cancelTimer(watch);

      assertThat(outcomes).extracting(SendOutcome::status).containsOnly(Status.DELIVERED).hasSize(MESSAGES);
      assertThat(producer.progress().throttleEvents()).as("throttling replies the workers reported").isPositive();
      assertThat(lowest.get()).as("the cluster's rate while the job ran").isLessThan(MAX_RATE);
      assertThat(producer.settledByWorker().values()).hasSize(2).allMatch(n -> n > 0);
      System.out.printf("ClusterThrottlingIT: %d throttle events, lowest cluster rate %.2f/s, settled %s%n",
        producer.progress().throttleEvents(), lowest.get(), producer.settledByWorker());
      Await.result(producer.close());
    } finally {
      for (Vertx vertx : nodes) {
        Await.result(vertx.close());
      }
    }
  }

  private static Mail mail(TestServers servers, long n) {
    return Mail.raw(Envelope.of(servers.user(), "throttle@example.test"), Buffer.buffer("Subject: throttled " + n
      + "\r\n\r\nmessage " + n + "\r\n")).withCorrelationId(n);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
