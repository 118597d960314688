package io.migo.smtp.impl.bulk;

import io.migo.smtp.BulkOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.JournalEntry;
import io.migo.smtp.Mail;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.RelayRules;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bulk send with a journal, through a real client and the scripted relay: what earlier runs recorded decides what
 * is sent, a start is recorded before the mail's first byte, and a journal that fails sends nothing it cannot
 * account for. Each mail's sender is its id ({@code <id>@example.test}), so the relay's transcript shows which ids
 * were sent.
 */
class JournaledSendTest extends ScriptedClientTestBase {

  private final InMemoryJournal journal = new InMemoryJournal();

  @Test
  void anIdThatEndedInAnEarlierRunIsSkippedAndAFailedOneIsSentAgain() {
    relay();
    journal.earlier("delivered", Status.DELIVERED).earlier("partial", Status.PARTIALLY_DELIVERED)
      .earlier("rejected", Status.REJECTED).earlier("failed", Status.FAILED);

    Map<String, SendOutcome> outcomes = sendAll(options(), "delivered", "partial", "rejected", "failed", "new");

    for (String id : List.of("delivered", "partial", "rejected")) {
      SendOutcome skipped = outcomes.get(id);
      assertThat(skipped.status()).as(id).isEqualTo(Status.SKIPPED);
      assertThat(skipped.journaled()).as(id).isEqualTo(journal.entries.get(id));
      assertThat(skipped.attempts()).as(id).isZero();
    }
    assertThat(outcomes.get("delivered").isDeliveredNowOrBefore()).isTrue();
    assertThat(outcomes.get("failed").status()).isEqualTo(Status.DELIVERED);
    assertThat(outcomes.get("new").status()).isEqualTo(Status.DELIVERED);
    assertThat(sentIds()).containsExactlyInAnyOrder("failed", "new");
    assertThat(journal.events).containsExactlyInAnyOrder("started failed", "finished failed DELIVERED",
      "started new", "finished new DELIVERED");
    assertThat(journal.loads).hasValue(1);
    // Only what was sent is a send: the skipped ids are not counted as submitted.
    assertThat(client.progress().submitted()).isEqualTo(2);
    assertThat(client.progress().delivered()).isEqualTo(2);
    assertThat(client.progress().inFlight()).isZero();
    assertScriptFollowed();
  }

  @Test
  void anIdInFlightOrUnknownBeforeIsReportedUnknownAndNotSent() {
    relay();
    journal.earlier("crashed", null).earlier("unknown", Status.UNKNOWN);

    Map<String, SendOutcome> outcomes = sendAll(options(), "crashed", "unknown", "new");

    for (String id : List.of("crashed", "unknown")) {
      SendOutcome outcome = outcomes.get(id);
      assertThat(outcome.status()).as(id).isEqualTo(Status.UNKNOWN);
      assertThat(outcome.error().reason()).as(id).isEqualTo(Reason.IN_FLIGHT_BEFORE);
      assertThat(outcome.error().getMessage()).as(id).contains(id, "may have been delivered", "setResendUnknown",
        "--resend-unknown");
      assertThat(outcome.journaled()).as(id).isEqualTo(new JournalEntry(id, id.equals("crashed") ? null
        : Status.UNKNOWN, id.equals("crashed") ? 0 : 250, null, null));
      assertThat(outcome.attempts()).as(id).isZero();
    }
    assertThat(outcomes.get("new").status()).isEqualTo(Status.DELIVERED);
    assertThat(sentIds()).containsExactly("new");
    assertThat(journal.events).containsExactly("started new", "finished new DELIVERED");
    assertScriptFollowed();
  }

  @Test
  void resendUnknownSendsTheIdsLeftInFlightOrUnknown() {
    relay();
    journal.earlier("crashed", null).earlier("unknown", Status.UNKNOWN).earlier("delivered", Status.DELIVERED);

    Map<String, SendOutcome> outcomes = sendAll(options().setResendUnknown(true), "crashed", "unknown", "delivered");

    assertThat(outcomes.get("crashed").status()).isEqualTo(Status.DELIVERED);
    assertThat(outcomes.get("crashed").journaled()).isNull();
    assertThat(outcomes.get("unknown").status()).isEqualTo(Status.DELIVERED);
    assertThat(outcomes.get("delivered").status()).isEqualTo(Status.SKIPPED);
    assertThat(sentIds()).containsExactlyInAnyOrder("crashed", "unknown");
    assertThat(journal.entries.get("crashed").status()).isEqualTo(Status.DELIVERED);
    assertScriptFollowed();
  }

  /**
   * One session for two mails: "held" comes first, and its start is held open by the journal while "free" goes. A
   * client that sent before the start was durable would have taken the only session for "held" first, so its MAIL
   * would precede "free"'s outcome; here the relay has seen nothing of "held" when "free" is delivered.
   */
  @Test
  void nothingOfAMailReachesTheRelayBeforeItsStartIsDurable() {
    relay();
    start(plainOptions(listen()), new PoolOptions().setMaxSize(1));
    Promise<Void> held = Promise.promise();
    journal.onStarted = id -> id.equals("held") ? held.future() : Future.succeededFuture();
    Promise<List<String>> transcriptWhenFreeDelivered = Promise.promise();
    Map<String, SendOutcome> outcomes = new ConcurrentHashMap<>();
    Promise<Void> done = Promise.promise();

    run(options().setConcurrency(2), source("held", "free"), done, outcome -> {
      outcomes.put((String) outcome.mail().correlationId(), outcome);
      if (outcome.mail().correlationId().equals("free")) {
        transcriptWhenFreeDelivered.complete(List.copyOf(server.transcript()));
      }
    });
    List<String> transcript = Await.result(transcriptWhenFreeDelivered.future());

    assertThat(outcomes.get("free").status()).isEqualTo(Status.DELIVERED);
    assertThat(transcript).contains("C: MAIL FROM:<free@example.test>")
      .doesNotContain("C: MAIL FROM:<held@example.test>");
    assertThat(journal.events).startsWith("started held").doesNotContain("finished held DELIVERED");
    assertThat(outcomes).doesNotContainKey("held");

    held.complete();
    Await.result(done.future());
    assertThat(outcomes.get("held").status()).isEqualTo(Status.DELIVERED);
    assertThat(sentIds()).containsExactly("free", "held");
    assertThat(journal.events).endsWith("finished held DELIVERED");
    assertScriptFollowed();
  }

  @Test
  void aStartTheJournalCannotRecordFailsTheMailUnsent() {
    relay();
    journal.onStarted = id -> id.equals("doomed") ? Future.failedFuture(new IOException("disk full"))
      : Future.succeededFuture();

    Map<String, SendOutcome> outcomes = sendAll(options(), "doomed", "fine");

    SendOutcome doomed = outcomes.get("doomed");
    assertThat(doomed.status()).isEqualTo(Status.FAILED);
    assertThat(doomed.error().reason()).isEqualTo(Reason.JOURNAL);
    assertThat(doomed.error().getMessage()).contains("doomed", "not sent", "disk full");
    assertThat(doomed.attempts()).isZero();
    assertThat(outcomes.get("fine").status()).isEqualTo(Status.DELIVERED);
    assertThat(sentIds()).containsExactly("fine");
    assertThat(journal.events).doesNotContain("finished doomed FAILED");
    assertThat(client.progress().submitted()).isEqualTo(1);
    assertScriptFollowed();
  }

  @Test
  void aJournalThatCannotBeReadSendsNothing() {
    relay();
    journal.onLoad = () -> Future.failedFuture(new IOException("not a database"));

    Map<String, SendOutcome> outcomes = sendAll(options(), "a", "b", "c");

    assertThat(outcomes.values()).hasSize(3).allSatisfy(o -> {
      assertThat(o.status()).isEqualTo(Status.FAILED);
      assertThat(o.error().reason()).isEqualTo(Reason.JOURNAL);
      assertThat(o.error().getMessage()).contains("could not be read", "not a database");
    });
    assertThat(journal.loads).hasValue(1);
    assertThat(journal.events).isEmpty();
    assertThat(server.connections()).isZero();
  }

  @Test
  void anOutcomeTheJournalCannotRecordIsStillEmittedAsItWas() {
    relay();
    journal.onFinished = id -> Future.failedFuture(new IOException("disk full"));

    Map<String, SendOutcome> outcomes = sendAll(options(), "a");

    assertThat(outcomes.get("a").status()).isEqualTo(Status.DELIVERED);
    assertThat(sentIds()).containsExactly("a");
    assertScriptFollowed();
  }

  @Test
  void aMailWithoutAnIdOrWithARepeatedIdIsRejectedUnsent() {
    relay();
    Mail noId = mail("anonymous").withCorrelationId(null);

    Map<String, SendOutcome> outcomes = new ConcurrentHashMap<>();
    List<SendOutcome> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    Promise<Void> done = Promise.promise();
    start(plainOptions(listen()));
    Mail[] mails = {mail("twice"), noId, mail("twice").withCorrelationId("twice"), mail("once")};
    run(options(), CountingSource.of(mails.length, n -> mails[(int) n]), done, o -> {
      all.add(o);
      if (o.mail().correlationId() != null) {
        outcomes.merge((String) o.mail().correlationId(), o, (a, b) -> a.status() == Status.DELIVERED ? b : a);
      }
    });
    Await.result(done.future());

    assertThat(all).hasSize(4);
    assertThat(all).filteredOn(o -> o.status() == Status.REJECTED).hasSize(2).allSatisfy(o -> {
      assertThat(o.error().reason()).isEqualTo(Reason.INVALID_INPUT);
      assertThat(o.attempts()).isZero();
    });
    assertThat(all).filteredOn(o -> o.mail() == noId).singleElement()
      .satisfies(o -> assertThat(o.error().getMessage()).contains("needs a correlation id"));
    assertThat(all).filteredOn(o -> o.mail() == mails[2]).singleElement()
      .satisfies(o -> assertThat(o.error().getMessage()).contains("twice", "already used"));
    assertThat(all).filteredOn(o -> o.mail() == mails[0]).singleElement()
      .satisfies(o -> assertThat(o.status()).isEqualTo(Status.DELIVERED));
    assertThat(sentIds()).containsExactlyInAnyOrder("twice", "once");
    // The repeated id's refusal is not recorded: it would overwrite the first mail's record.
    assertThat(journal.events).containsExactlyInAnyOrder("started twice", "finished twice DELIVERED",
      "started once", "finished once DELIVERED");
    assertScriptFollowed();
  }

  /**
   * The mails that arrive while the journal is being read wait for it: no start is recorded and nothing is sent
   * before it is read, and what it held then decides for them too.
   */
  @Test
  void mailsArrivingWhileTheJournalIsReadWaitForIt() {
    relay();
    start(plainOptions(listen()));
    Promise<Map<String, JournalEntry>> reading = Promise.promise();
    journal.onLoad = reading::future;
    Map<String, SendOutcome> outcomes = new ConcurrentHashMap<>();
    Promise<Void> done = Promise.promise();

    run(options().setConcurrency(3), source("a", "b", "c"), done,
      o -> outcomes.put((String) o.mail().correlationId(), o));
    Context clientContext = Await.result(journal.loadCalled.future());
    // The source hands its mails over synchronously within the one task of the client's context that called load()
    // for the first of them: a task queued behind it sees all three dispatched.
    Promise<List<String>> snapshot = Promise.promise();
    clientContext.runOnContext(v -> snapshot.complete(List.copyOf(journal.events)));
    List<String> eventsWhileReading = Await.result(snapshot.future());
    assertThat(eventsWhileReading).isEmpty();
    assertThat(server.connections()).isZero();

    reading.complete(Map.of("b", new JournalEntry("b", Status.DELIVERED, 250, "2.0.0", "Ok")));
    Await.result(done.future());

    assertThat(outcomes.get("b").status()).isEqualTo(Status.SKIPPED);
    assertThat(outcomes.get("a").status()).isEqualTo(Status.DELIVERED);
    assertThat(outcomes.get("c").status()).isEqualTo(Status.DELIVERED);
    assertThat(journal.loads).hasValue(1);
    assertScriptFollowed();
  }

  @Test
  void theVerdictReadsEachKindOfEntry() {
    assertThat(JournaledSender.verdict(null, false)).isEqualTo(JournaledSender.Verdict.SEND);
    assertThat(verdict(Status.FAILED, false)).isEqualTo(JournaledSender.Verdict.SEND);
    assertThat(verdict(Status.DELIVERED, true)).isEqualTo(JournaledSender.Verdict.SKIP);
    assertThat(verdict(Status.PARTIALLY_DELIVERED, true)).isEqualTo(JournaledSender.Verdict.SKIP);
    assertThat(verdict(Status.REJECTED, true)).isEqualTo(JournaledSender.Verdict.SKIP);
    assertThat(verdict(null, false)).isEqualTo(JournaledSender.Verdict.MAYBE_DELIVERED);
    assertThat(verdict(Status.UNKNOWN, false)).isEqualTo(JournaledSender.Verdict.MAYBE_DELIVERED);
    assertThat(verdict(null, true)).isEqualTo(JournaledSender.Verdict.SEND);
    assertThat(verdict(Status.UNKNOWN, true)).isEqualTo(JournaledSender.Verdict.SEND);
  }

  private static JournaledSender.Verdict verdict(Status status, boolean resendUnknown) {
    return JournaledSender.verdict(new JournalEntry("x", status, 0, null, null), resendUnknown);
  }

  private void relay() {
    RelayRules.install(server, "PIPELINING", "ENHANCEDSTATUSCODES");
  }

  private BulkOptions options() {
    return new BulkOptions().setJournal(journal);
  }

  /** Sends the mails with these ids and returns their outcomes by id. */
  private Map<String, SendOutcome> sendAll(BulkOptions options, String... ids) {
    if (client == null) {
      start(plainOptions(listen()));
    }
    Map<String, SendOutcome> outcomes = new ConcurrentHashMap<>();
    Promise<Void> done = Promise.promise();
    run(options, source(ids), done, o -> outcomes.put((String) o.mail().correlationId(), o));
    Await.result(done.future());
    assertThat(outcomes).hasSize(ids.length);
    return outcomes;
  }

  private void run(BulkOptions options, ReadStream<Mail> source, Promise<Void> done, Consumer<SendOutcome> each) {
    vertx.getOrCreateContext().runOnContext(v -> client.sendAll(source, options)
      .exceptionHandler(done::tryFail)
      .endHandler(end -> done.tryComplete())
      .handler(each::accept));
  }

  private static CountingSource source(String... ids) {
    return CountingSource.of(ids.length, n -> mail(ids[(int) n]));
  }

  private static Mail mail(String id) {
    return Mail.raw(Envelope.of(id + "@example.test", "b@example.test"), Buffer.buffer(MESSAGE)).withCorrelationId(id);
  }

  /** The ids whose MAIL reached the relay, in order. */
  private List<String> sentIds() {
    return server.transcript().stream()
      .filter(line -> line.startsWith("C: MAIL FROM:<"))
      .map(line -> line.substring("C: MAIL FROM:<".length(), line.indexOf('@')))
      .toList();
  }
}
