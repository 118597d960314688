package io.migo.smtp.cluster;

import io.migo.smtp.BulkJournal;
import io.migo.smtp.BulkOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.RetryPolicy;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.TlsMode;
import io.migo.smtp.impl.bulk.CountingSource;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.CountingSink;
import io.migo.smtp.testkit.ScriptedSmtpServer;
import io.migo.smtp.testkit.Step;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.migo.smtp.journal.SqliteBulkJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workers and a producer in one JVM, each its own clustered Vertx on loopback: the work spreads, a worker that
 * joins takes work, and a crashed worker's messages are sent again only when it had not started them.
 */
class ClusterSendTest {

  @Test
  void messagesSpreadOverTheWorkersAndEachIsDeliveredOnce() {
    try (ClusterNodes cluster = new ClusterNodes(3)) {
      Vertx a = cluster.start(0);
      Vertx b = cluster.start(1);
      Vertx p = cluster.start(2);
      CountingSink sink = new CountingSink(p, 200);
      int port = Await.result(sink.start());
      deploy(a, port);
      deploy(b, port);
      ClusterSmtpClient producer = ClusterSmtpClient.create(p, new ClusterClientOptions().setMaxSessions(4));
      Await.until(() -> Await.result(producer.workers()).size() == 2, "both workers known");

      List<SendOutcome> outcomes = sendAll(p, producer, 200);

      assertThat(outcomes).hasSize(200).extracting(SendOutcome::status).containsOnly(Status.DELIVERED);
      IntStream.range(0, 200).forEach(seq -> assertThat(sink.timesAccepted(seq)).as("X-Seq %d", seq).isEqualTo(1));
      Map<String, Long> settled = producer.settledByWorker();
      assertThat(settled).containsOnlyKeys(SmtpCluster.nodeId(a), SmtpCluster.nodeId(b));
      assertThat(settled.values()).allMatch(n -> n > 0);
      assertThat(settled.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(200);
      assertThat(producer.progress().delivered()).isEqualTo(200);
      Await.result(producer.close());
    }
  }

  @Test
  void anUnstartedMessageOfACrashedWorkerGoesToAnotherAndAStartedOneEndsUnknown() {
    try (ClusterNodes cluster = new ClusterNodes(3)) {
      Vertx p = cluster.start(0);
      Vertx stuck = cluster.start(1);
      Promise<Void> never = Promise.promise();
      // One session: the first message reaches the end of its data and waits for a verdict that never comes; the
      // second waits behind it for the session, unstarted.
      ScriptedSmtpServer relay = new ScriptedSmtpServer(p).script(Step.greeting("220 stuck.test ESMTP"),
        Step.on("EHLO worker.example").reply("250-stuck.test", "250 ENHANCEDSTATUSCODES"),
        Step.on("MAIL FROM:<a@example.test>").reply("250 2.1.0 Ok"),
        Step.on("RCPT TO:<b@example.test>").reply("250 2.1.5 Ok"),
        Step.on("DATA").reply("354 go ahead"),
        Step.onData().reply("250 2.0.0 Ok").after(never.future()));
      deploy(stuck, Await.result(relay.start()), 1);
      CountingSink sink = new CountingSink(p, 2);
      int sinkPort = Await.result(sink.start());
      ClusterSmtpClient producer = ClusterSmtpClient.create(p, new ClusterClientOptions().setMaxSessions(2));
      Await.until(() -> Await.result(producer.workers()).size() == 1, "the first worker known");

      Future<SendOutcome> first = send(producer, 0);
      Await.until(() -> relay.messages().size() == 1, "the first message's data at the stuck relay; "
        + relay.transcript() + relay.errors());
      Future<SendOutcome> second = send(producer, 1);
      Await.until(() -> producer.poolStats().active() == 2, "both messages at the stuck worker");
      Vertx healthy = cluster.start(2);
      deploy(healthy, sinkPort);
      cluster.crash(stuck);

      SendOutcome resent = Await.result(second);
      assertThat(resent.status()).as("%s", resent.error()).isEqualTo(Status.DELIVERED);
      SendOutcome lost = Await.result(first);
      assertThat(lost.status()).isEqualTo(Status.UNKNOWN);
      assertThat(lost.error().getMessage()).contains("left the cluster");
      assertThat(sink.timesAccepted(0)).isZero();
      assertThat(sink.timesAccepted(1)).isEqualTo(1);
      assertThat(producer.settledByWorker()).containsEntry(SmtpCluster.nodeId(healthy), 1L);
      never.complete();
    }
  }

  @Test
  void aStuckWorkerGetsNoMoreThanItsWindowWhileAnotherTakesTheRest() {
    try (ClusterNodes cluster = new ClusterNodes(3)) {
      Vertx p = cluster.start(0);
      Vertx slow = cluster.start(1);
      Vertx fast = cluster.start(2);
      Promise<Void> gate = Promise.promise();
      ScriptedSmtpServer relay = new ScriptedSmtpServer(p).script(Step.greeting("220 slow.test ESMTP"),
        Step.on("EHLO worker.example").reply("250-slow.test", "250 ENHANCEDSTATUSCODES"))
        .loop(Step.on("MAIL FROM:<a@example.test>").reply("250 2.1.0 Ok"),
          Step.on("RCPT TO:<b@example.test>").reply("250 2.1.5 Ok"),
          Step.on("DATA").reply("354 go ahead"),
          Step.onData().reply("250 2.0.0 Ok").after(gate.future()));
      deploy(slow, Await.result(relay.start()));
      CountingSink sink = new CountingSink(p, 20);
      deploy(fast, Await.result(sink.start()));
      ClusterSmtpClient producer = ClusterSmtpClient.create(p, new ClusterClientOptions().setMaxSessions(2));
      Await.until(() -> Await.result(producer.workers()).size() == 2, "both workers known");

      List<SendOutcome> outcomes = new CopyOnWriteArrayList<>();
      Promise<Void> done = Promise.promise();
      p.runOnContext(v -> producer.sendAll(mails(p, 20), new BulkOptions())
        .endHandler(end -> done.tryComplete()).handler(outcomes::add));
      // Each has a window of one: the slow worker holds one message while the fast one takes every other.
      Await.untilTrue(() -> outcomes.size() == 19, "the fast worker's messages", outcomes::size);
      gate.complete();
      Await.untilDone(done.future(), "the job", outcomes::size);

      assertThat(outcomes).hasSize(20).extracting(SendOutcome::status).containsOnly(Status.DELIVERED);
      assertThat(producer.settledByWorker()).containsEntry(SmtpCluster.nodeId(slow), 1L)
        .containsEntry(SmtpCluster.nodeId(fast), 19L);
    }
  }

  @Test
  void aWorkerThatJoinsLateTakesWork() {
    try (ClusterNodes cluster = new ClusterNodes(3)) {
      Vertx p = cluster.start(0);
      Vertx early = cluster.start(1);
      CountingSink sink = new CountingSink(p, 300);
      int port = Await.result(sink.start());
      deploy(early, port);
      // A rate keeps the job going long enough for a worker to join part-way, whatever the machine's speed.
      ClusterSmtpClient producer = ClusterSmtpClient.create(p, new ClusterClientOptions().setMaxSessions(2)
        .setMaxRate(100));
      Await.until(() -> Await.result(producer.workers()).size() == 1, "the first worker known");
      List<SendOutcome> outcomes = new CopyOnWriteArrayList<>();
      Promise<Void> done = Promise.promise();
      p.runOnContext(v -> producer.sendAll(mails(p, 300), new BulkOptions())
        .endHandler(end -> done.tryComplete()).handler(outcomes::add));
      Await.until(() -> outcomes.size() >= 20, "the job under way");
      Vertx late = cluster.start(2);
      deploy(late, port);
      Await.untilDone(done.future(), "the job", outcomes::size);

      assertThat(outcomes).hasSize(300).extracting(SendOutcome::status).containsOnly(Status.DELIVERED);
      assertThat(producer.settledByWorker().get(SmtpCluster.nodeId(late))).isPositive();
      IntStream.range(0, 300).forEach(seq -> assertThat(sink.timesAccepted(seq)).isEqualTo(1));
    }
  }

  @Test
  void theJournalOnTheProducerResumesAJobWithoutSendingTwice(@TempDir Path dir) {
    try (ClusterNodes cluster = new ClusterNodes(2)) {
      Vertx p = cluster.start(0);
      Vertx w = cluster.start(1);
      CountingSink sink = new CountingSink(p, 30);
      deploy(w, Await.result(sink.start()));
      Path file = dir.resolve("job.journal");

      BulkJournal first = Await.result(SqliteBulkJournal.open(p, file));
      ClusterSmtpClient producer = ClusterSmtpClient.create(p, new ClusterClientOptions().setMaxSessions(2));
      List<SendOutcome> before = sendAll(p, producer, 20, new BulkOptions().setJournal(first));
      Await.result(first.close());
      // A producer started again (a new client, the same journal) on a longer input.
      BulkJournal second = Await.result(SqliteBulkJournal.open(p, file));
      ClusterSmtpClient again = ClusterSmtpClient.create(p, new ClusterClientOptions().setMaxSessions(2));
      List<SendOutcome> after = sendAll(p, again, 30, new BulkOptions().setJournal(second));
      Await.result(second.close());

      assertThat(before).extracting(SendOutcome::status).containsOnly(Status.DELIVERED);
      assertThat(after).filteredOn(o -> o.status() == Status.SKIPPED).hasSize(20);
      assertThat(after).filteredOn(o -> o.status() == Status.DELIVERED).hasSize(10);
      IntStream.range(0, 30).forEach(seq -> assertThat(sink.timesAccepted(seq)).as("X-Seq %d", seq).isEqualTo(1));
    }
  }

  @Test
  void aMessageOverTheLimitIsRejectedUnsent() {
    try (ClusterNodes cluster = new ClusterNodes(1)) {
      Vertx p = cluster.start(0);
      ClusterSmtpClient producer = ClusterSmtpClient.create(p, new ClusterClientOptions().setMaxMessageBytes(1000));
      SendOutcome outcome = Await.result(send(producer, Mail.raw(Envelope.of("a@example.test",
        "b@example.test"), Buffer.buffer(new byte[2000]))));
      assertThat(outcome.status()).isEqualTo(Status.REJECTED);
      assertThat(outcome.error().getMessage()).contains("over the cluster's limit of 1000", "setMaxMessageBytes");
    }
  }

  private static void deploy(Vertx vertx, int relayPort) {
    deploy(vertx, relayPort, 4);
  }

  private static void deploy(Vertx vertx, int relayPort, int poolSize) {
    SmtpClientOptions options = new SmtpClientOptions().setHost("127.0.0.1").setPort(relayPort)
      .setTlsMode(TlsMode.NONE).setEhloName("worker.example").setRetryPolicy(RetryPolicy.none())
      .setDataTimeout(Duration.ofMinutes(10));
    Await.result(vertx.deployVerticle(new SmtpWorkerVerticle(options, new PoolOptions().setMaxSize(poolSize))));
  }

  private static Mail mail(int seq) {
    return Mail.raw(Envelope.of("a@example.test", "b@example.test"),
      Buffer.buffer("X-Seq: " + seq + "\r\nSubject: test " + seq + "\r\n\r\nHello\r\n")).withCorrelationId(seq);
  }

  /** A single send, its result or failure as the outcome a bulk send would have given. */
  private static Future<SendOutcome> send(ClusterSmtpClient producer, Mail mail) {
    return producer.send(mail).transform(ar -> Future.succeededFuture(ar.succeeded()
      ? SendOutcome.delivered(mail, ar.result()) : SendOutcome.failed(mail, ar.cause())));
  }

  private static Future<SendOutcome> send(ClusterSmtpClient producer, int seq) {
    return send(producer, mail(seq));
  }

  private static ReadStream<Mail> mails(Vertx vertx, int count) {
    return CountingSource.of(count, n -> mail((int) n));
  }

  private static List<SendOutcome> sendAll(Vertx vertx, ClusterSmtpClient producer, int count) {
    return sendAll(vertx, producer, count, new BulkOptions());
  }

  private static List<SendOutcome> sendAll(Vertx vertx, ClusterSmtpClient producer, int count, BulkOptions options) {
    List<SendOutcome> outcomes = new CopyOnWriteArrayList<>();
    Promise<Void> done = Promise.promise();
    vertx.runOnContext(v -> producer.sendAll(mails(vertx, count), options)
      .exceptionHandler(done::tryFail).endHandler(end -> done.tryComplete()).handler(outcomes::add));
    Await.untilDone(done.future(), "the job", outcomes::size);
    return outcomes;
  }
}
