package io.migo.mutiny.smtp;

import io.migo.smtp.BulkJournal;
import io.migo.smtp.BulkOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.JournalEntry;
import io.migo.smtp.Mail;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SendProgress;
import io.migo.smtp.SmtpException;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

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
  void aSubscriberThatStopsRequestingHoldsTheSourceBackToTheConcurrency() {
    server.script(greeting(), ehloPipelining()).loop(simpleTransactionPipelined(), queued());
    SmtpClient shim = shim(2);
    AtomicLong requested = new AtomicLong();
    Multi<Mail> endless = Multi.createFrom().<Long, Mail>generator(() -> 0L, (n, emitter) -> {
      emitter.emit(mail(n));
      return n + 1;
    }).onRequest().invoke(requested::addAndGet);

    AssertSubscriber<SendOutcome> slow = shim.sendAll(endless).subscribe().withSubscriber(AssertSubscriber.create(5));
    slow.awaitItems(5, WAIT);
    // Until the window has filled and settled: five taken, two more sent and completed, none in flight. A correct
    // client stops there; one that read ahead would go past seven (and the bounds below catch it). Bounded by the
    // client's progress, not by a pause.
    Await.until(() -> shim.progress().submitted() >= 5 + 2 && shim.progress().inFlight() == 0,
      "the window of two behind the five taken is sent and settled");

    // Five taken, two more sent and waiting to be taken, then nothing: the source is not read ahead.
    assertThat(slow.getItems()).hasSize(5);
    assertThat(requested.get()).isLessThanOrEqualTo(5 + 2);
    assertThat(shim.progress().submitted()).isLessThanOrEqualTo(5 + 2);
    slow.cancel();
    assertScriptFollowed();
  }

  @Test
  void cancellingStopsTheReadingOfTheSourceAndTheSendsInFlightStillComplete() {
    server.script(greeting(), ehloPipelining()).loop(simpleTransactionPipelined(), queued());
    SmtpClient shim = shim(2);
    AtomicLong requested = new AtomicLong();
    AtomicBoolean sourceCancelled = new AtomicBoolean();
    Multi<Mail> endless = Multi.createFrom().<Long, Mail>generator(() -> 0L, (n, emitter) -> {
      emitter.emit(mail(n));
      return n + 1;
    }).onRequest().invoke(requested::addAndGet).onCancellation().invoke(() -> sourceCancelled.set(true));

    AssertSubscriber<SendOutcome> subscriber =
      shim.sendAll(endless).subscribe().withSubscriber(AssertSubscriber.create(3));
    subscriber.awaitItems(3, WAIT);
    subscriber.cancel();
    Await.until(() -> shim.progress().inFlight() == 0, "the sends in flight at the cancel complete");

    assertThat(sourceCancelled).as("the source is cancelled with the outcomes").isTrue();
    // Three taken and at most the window of two more: never read ahead, before or after the cancel.
    assertThat(requested.get()).isLessThanOrEqualTo(3 + 2);
    SendProgress progress = shim.progress();
    assertThat(progress.submitted()).as("mails sent").isBetween(3L, requested.get());
    assertThat(progress.delivered()).as("every one sent was delivered, outcome taken or not")
      .isEqualTo(progress.submitted());
    subscriber.assertNotTerminated();
    assertThat(subscriber.getItems()).hasSize(3);
    assertScriptFollowed();
  }

  @Test
  void aFailingSourceFailsTheStreamAfterTheMailsItGave() {
    server.script(greeting(), ehloPipelining()).loop(simpleTransactionPipelined(), queued());
    SmtpClient shim = shim(2);
    Multi<Mail> breaking = Multi.createFrom().range(0, 3).map(SendAllTest::mail)
      .onCompletion().failWith(() -> new IllegalStateException("source broke"));

    AssertSubscriber<SendOutcome> subscriber =
      shim.sendAll(breaking).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));

    subscriber.awaitFailure(WAIT).assertFailedWith(IllegalStateException.class, "source broke");
    assertThat(subscriber.getItems()).hasSize(3).allMatch(o -> o.status() == Status.DELIVERED);
    assertScriptFollowed();
  }

  @Test
  void nothingIsReadOrSentBeforeSubscription() {
    SmtpClient shim = shim(2);
    AtomicLong requested = new AtomicLong();
    Multi<Mail> source = Multi.createFrom().range(0, 3).map(SendAllTest::mail).onRequest().invoke(requested::addAndGet);

    Multi<SendOutcome> outcomes = shim.sendAll(source);

    assertThat(outcomes).isNotNull();
    assertThat(requested).hasValue(0);
    assertThat(shim.progress().submitted()).isZero();
    assertThat(server.connections()).isZero();
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
    // The first connection answers its first message only once the client has completed another message (on the
    // other connection): the server answers out of order, decided by progress, not by a delay.
    Promise<Void> anotherCompleted = Promise.promise();
    server.script(greeting(), ehloPipelining(), simpleTransactionPipelined(),
        Step.onData().reply("250 2.0.0 Ok: queued as SLOW").after(anotherCompleted.future()))
      .script(greeting(), ehloPipelining())
      .loop(simpleTransactionPipelined(), queued());
    SmtpClient shim = shim(2);
    long watch = vertx.setPeriodic(1, id -> {
      if (shim.progress().completed() >= 1) {
        anotherCompleted.tryComplete();
      }
    });
    List<Long> completedAtEmission = new CopyOnWriteArrayList<>();

    List<SendOutcome> outcomes = shim.sendAll(Multi.createFrom().range(0, 8).map(SendAllTest::mail),
        new BulkOptions().setConcurrency(2).setOrdered(true))
      .onItem().invoke(o -> completedAtEmission.add(shim.progress().completed()))
      .collect().asList().await().atMost(WAIT);

    assertThat(outcomes).extracting(o -> o.mail().correlationId()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(outcomes).allMatch(o -> o.status() == Status.DELIVERED);
    // The client counts a send as completed before its outcome reaches the stream, in the same run of its event
    // loop. Had the server answered in input order, i+1 sends would have completed when outcome i was emitted; more
    // means a later mail completed first and was held back: the server did answer out of order.
    assertThat(completedAtEmission).hasSize(8);
    assertThat(IntStream.range(0, 8).anyMatch(i -> completedAtEmission.get(i) > i + 1))
      .as("a later mail completed before an earlier one's outcome went out: %s", completedAtEmission).isTrue();
    assertThat(outcomes).filteredOn(o -> o.result().serverResponse().contains("SLOW")).hasSize(1);
    vertx.cancelTimer(watch);
    assertScriptFollowed();
  }


  /**
   * The bulk options go through the facade as they are (issue 11, part 7): with a journal, an id an earlier run
   * delivered is SKIPPED, one it left in flight is UNKNOWN and not sent, the others are sent and recorded.
   */
  @Test
  void theBulkOptionsGoThroughTheFacadeJournalIncluded() {
    server.script(greeting(), ehloPipelining()).loop(simpleTransactionPipelined(), queued());
    SmtpClient shim = shim(1);
    List<String> recorded = new CopyOnWriteArrayList<>();
    BulkJournal journal = new BulkJournal() {
      @Override
      public Future<Map<String, JournalEntry>> load() {
        return Future.succeededFuture(Map.of(
          "0", new JournalEntry("0", Status.DELIVERED, 250, "2.0.0", "Ok"),
          "1", new JournalEntry("1", null, 0, null, null)));
      }

      @Override
      public Future<Void> started(String id) {
        recorded.add("started " + id);
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> finished(String id, SendOutcome outcome) {
        recorded.add("finished " + id + " " + outcome.status());
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> close() {
        return Future.succeededFuture();
      }
    };

    List<SendOutcome> outcomes = shim.sendAll(Multi.createFrom().range(0, 4).map(SendAllTest::mail),
        new BulkOptions().setJournal(journal).setOrdered(true))
      .collect().asList().await().atMost(WAIT);

    assertThat(outcomes).extracting(SendOutcome::status)
      .containsExactly(Status.SKIPPED, Status.UNKNOWN, Status.DELIVERED, Status.DELIVERED);
    assertThat(outcomes.get(0).journaled().status()).isEqualTo(Status.DELIVERED);
    assertThat(outcomes.get(1).error().reason()).isEqualTo(SmtpException.Reason.IN_FLIGHT_BEFORE);
    assertThat(recorded).containsExactly("started 2", "finished 2 DELIVERED", "started 3", "finished 3 DELIVERED");
    assertThat(shim.progress().submitted()).as("only the mails sent").isEqualTo(2);
    assertScriptFollowed();
  }
}
