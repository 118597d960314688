package io.migo.mutiny.smtp;

import io.migo.smtp.BulkOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SendProgress;
import io.migo.smtp.SendResult;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Bulk sending through the Mutiny facade against the scripted server. */
class SendAllTest extends ScriptedClientTestBase {

  /** Only a hang fails: a slow or busy machine needs far less. */
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static Mail mail(long id) {
    return Mail.raw(Envelope.of("a@example.test", "b@example.test"), Buffer.buffer(MESSAGE)).withCorrelationId(id);
  }

  private SmtpClient shim(int poolSize) {
    SmtpClient shim = SmtpClient.create(io.vertx.mutiny.core.Vertx.newInstance(vertx), plainOptions(listen()),
      new PoolOptions().setMaxSize(poolSize));
    client = shim.getDelegate();
    return shim;
  }

  @Test
  void anEndlessSourceIsRequestedOnlyAsSendsComplete() {
    server.script(greeting(), ehloPipelining()).loop(simpleTransactionPipelined(), queued());
    SmtpClient shim = shim(2);
    AtomicLong requested = new AtomicLong();
    List<String> overruns = new CopyOnWriteArrayList<>();
    List<Long> inFlight = new CopyOnWriteArrayList<>();

    Multi<Mail> endless = Multi.createFrom().<Long, Mail>generator(() -> 0L, (n, emitter) -> {
      emitter.emit(mail(n));
      return n + 1;
    }).onRequest().invoke(n -> {
      long total = requested.addAndGet(n);
      SendProgress p = shim.progress();
      inFlight.add(p.inFlight());
      // THE backpressure proof: never more asked for than completed sends plus the places in flight.
      if (total > p.completed() + 2) {
        overruns.add("requested " + total + " with " + p.completed() + " completed");
      }
    });

    List<SendOutcome> outcomes = shim.sendAll(endless).select().first(40).collect().asList().await().atMost(WAIT);

    assertThat(outcomes).hasSize(40).allMatch(o -> o.status() == Status.DELIVERED);
    assertThat(outcomes).extracting(o -> o.mail().correlationId()).doesNotHaveDuplicates();
    assertThat(overruns).isEmpty();
    assertThat(inFlight).allMatch(n -> n <= 2);
    assertThat(requested.get()).isLessThanOrEqualTo(40 + 2);
    assertThat(server.connections()).isEqualTo(2);
    assertScriptFollowed();
  }

  @Test
  void aSubscriberThatStopsRequestingHoldsTheSourceBackToTheConcurrency() throws Exception {
    server.script(greeting(), ehloPipelining()).loop(simpleTransactionPipelined(), queued());
    SmtpClient shim = shim(2);
    AtomicLong requested = new AtomicLong();
    Multi<Mail> endless = Multi.createFrom().<Long, Mail>generator(() -> 0L, (n, emitter) -> {
      emitter.emit(mail(n));
      return n + 1;
    }).onRequest().invoke(requested::addAndGet);

    AssertSubscriber<SendOutcome> slow = shim.sendAll(endless).subscribe().withSubscriber(AssertSubscriber.create(5));
    slow.awaitItems(5, WAIT);
    // Time for a read-ahead to show, if there were one. A slow machine can only hide such a bug here, never fail a
    // correct client: the assertions below are upper bounds.
    Thread.sleep(300);

    // Five taken, two more sent and waiting to be taken, then nothing: the source is not read ahead.
    assertThat(slow.getItems()).hasSize(5);
    assertThat(requested.get()).isLessThanOrEqualTo(5 + 2);
    assertThat(shim.progress().submitted()).isLessThanOrEqualTo(5 + 2);
    slow.cancel();
    assertScriptFollowed();
  }

  @Test
  void aWrappedCoreClientSendsAsManyAtOnceAsItsPoolHolds() {
    server.script(greeting(), ehloPipelining()).loop(simpleTransactionPipelined(), queued());
    SmtpClient shim = SmtpClient.newInstance(start(plainOptions(listen()), new PoolOptions().setMaxSize(3)));
    List<Long> requests = new CopyOnWriteArrayList<>();

    List<SendOutcome> outcomes = shim.sendAll(Multi.createFrom().range(0, 12).map(SendAllTest::mail)
        .onRequest().invoke(requests::add))
      .collect().asList().await().atMost(WAIT);

    assertThat(outcomes).hasSize(12).allMatch(o -> o.status() == Status.DELIVERED);
    // BulkOptions.POOL_SIZE means the wrapped client's pool, not a default guessed by the shim.
    assertThat(requests.get(0)).isEqualTo(3);
    assertThat(server.connections()).isEqualTo(3);
    assertScriptFollowed();
  }

  @Test
  void refusedAndFailedMailsAreOutcomesTiedToTheirInputsAndTheStreamGoesOn() {
    server.script(greeting(), ehloPipelining(),
      simpleTransactionPipelined(), queued(),
      // Every recipient refused: rejected for good.
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.1.0 Ok", "550 5.1.1 User unknown", "554 5.5.1 Error: no valid recipients"),
      // A transient refusal of the sender: failed, safe to retry.
      Step.on("RSET", "MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.0.0 Ok", "451 4.3.0 Try again later", "503 5.5.1 Need MAIL", "503 5.5.1 Need MAIL"),
      Step.on("RSET", "MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.0.0 Ok", "250 2.1.0 Ok", "250 2.1.5 Ok", "354 go ahead"),
      queued(), quit());
    SmtpClient shim = shim(1);
    Multi<Mail> mails = Multi.createFrom().items(mail(1).withCorrelationId("first"),
      mail(2).withCorrelationId("refused"), mail(3).withCorrelationId("deferred"),
      mail(4).withCorrelationId("last"));

    List<SendOutcome> outcomes = shim.sendAll(mails, new BulkOptions().setOrdered(true))
      .collect().asList().await().atMost(WAIT);

    assertThat(outcomes).extracting(o -> o.mail().correlationId())
      .containsExactly("first", "refused", "deferred", "last");
    assertThat(outcomes).extracting(SendOutcome::status)
      .containsExactly(Status.DELIVERED, Status.REJECTED, Status.FAILED, Status.DELIVERED);
    assertThat(outcomes.get(1).error().replyCode()).isEqualTo(550);
    assertThat(outcomes.get(2).error().replyCode()).isEqualTo(451);
    assertThat(outcomes.get(2).result()).isNull();
    assertThat(outcomes.get(3).result().serverResponse()).contains("ABC123");

    SendProgress progress = shim.progress();
    assertThat(progress.submitted()).isEqualTo(4);
    assertThat(progress.delivered()).isEqualTo(2);
    assertThat(progress.rejected()).isEqualTo(1);
    assertThat(progress.failed()).isEqualTo(1);
    assertThat(progress.inFlight()).isZero();
    assertThat(progress.ratePerSecond()).isPositive();
    shim.closeAndAwait();
    assertScriptFollowed();
  }

  @Test
  void orderedModeEmitsInInputOrderWhenTheServerAnswersOutOfOrder() {
    // The first connection answers its first message slowly (a reply in 5 ms pieces); the other answers at once.
    server.script(greeting(), ehloPipelining(), simpleTransactionPipelined(),
        Step.onData().raw(slowly("250 2.0.0 Ok: queued as SLOW\r\n")))
      .script(greeting(), ehloPipelining())
      .loop(simpleTransactionPipelined(), queued());
    SmtpClient shim = shim(2);
    List<Object> completionOrder = new CopyOnWriteArrayList<>();
    SmtpClient recording = SmtpClient.newInstance(new CompletionRecorder(shim.getDelegate(), completionOrder));

    List<SendOutcome> outcomes = recording.sendAll(Multi.createFrom().range(0, 8).map(SendAllTest::mail),
        new BulkOptions().setConcurrency(2).setOrdered(true))
      .collect().asList().await().atMost(WAIT);

    assertThat(outcomes).extracting(o -> o.mail().correlationId()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(outcomes).allMatch(o -> o.status() == Status.DELIVERED);
    assertThat(completionOrder).as("the server answered out of order").containsExactlyInAnyOrder(
      0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L).isNotEqualTo(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L));
    assertThat(outcomes).filteredOn(o -> o.result().serverResponse().contains("SLOW")).hasSize(1);
    assertScriptFollowed();
  }

  /** The reply one character per write, 5 ms apart: about 150 ms in all, while the other session goes on. */
  private static String[] slowly(String reply) {
    return reply.split("");
  }

  /** Records the order in which sends complete, which the ordered stream must hide. */
  private static final class CompletionRecorder implements io.migo.smtp.SmtpClient {
    private final io.migo.smtp.SmtpClient delegate;
    private final List<Object> order;

    CompletionRecorder(io.migo.smtp.SmtpClient delegate, List<Object> order) {
      this.delegate = delegate;
      this.order = order;
    }

    @Override
    public Future<SendResult> send(Mail mail) {
      return delegate.send(mail).andThen(ar -> order.add(mail.correlationId()));
    }

    @Override
    public Future<SendResult> send(io.vertx.ext.mail.MailMessage message) {
      return delegate.send(message);
    }

    @Override
    public Future<SendResult> send(Envelope envelope, Buffer message) {
      return delegate.send(envelope, message);
    }

    @Override
    public io.vertx.core.streams.ReadStream<SendOutcome> sendAll(io.vertx.core.streams.ReadStream<Mail> mails,
                                                                 BulkOptions options) {
      return delegate.sendAll(mails, options);
    }

    @Override
    public SendProgress progress() {
      return delegate.progress();
    }

    @Override
    public io.migo.smtp.PoolStats poolStats() {
      return delegate.poolStats();
    }

    @Override
    public Future<Void> close() {
      return delegate.close();
    }
  }
}
