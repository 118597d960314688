package io.migo.smtp.journal;

import io.migo.smtp.BulkOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.impl.bulk.CountingSource;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.RelayRules;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bulk send with {@link SqliteBulkJournal}, through a real client and the scripted relay: a job run again with its
 * journal sends nothing twice, also after {@code kill -9} of the process that ran it. Each mail's subject is its id,
 * so the relay's stored messages show how often each id arrived.
 */
class JournaledBulkSendTest extends ScriptedClientTestBase {

  @TempDir
  Path dir;

  @Test
  void aJobRunAgainWithItsJournalSendsNothingTwice() {
    RelayRules.install(server, "PIPELINING", "ENHANCEDSTATUSCODES");
    start(plainOptions(listen()), new PoolOptions().setMaxSize(4));
    Path file = dir.resolve("job.journal");

    Map<String, SendOutcome> first = run(file, 300);
    Map<String, SendOutcome> second = run(file, 300);

    assertThat(first.values()).hasSize(300).allMatch(o -> o.status() == Status.DELIVERED);
    assertThat(second.values()).hasSize(300).allMatch(o -> o.status() == Status.SKIPPED && o.isDeliveredNowOrBefore());
    assertThat(deliveries()).hasSize(300).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
    assertScriptFollowed();
  }

  /**
   * A child JVM ({@link CrashingBulkJob}) sends an endless job to this relay with a journal and is killed with
   * SIGKILL once the relay has taken {@value #DELIVERED_BEFORE_KILL} messages, while dozens are in flight. The job
   * is then run again here with the same journal over every id the child started and more: every id arrives exactly
   * once over both runs, but the ones reported UNKNOWN (in flight at the kill), which arrive at most once.
   */
  @Test
  void aJobKilledMidwayAndRunAgainDeliversEveryIdOnceButTheUnknownOnes() throws Exception {
    RelayRules.install(server, "PIPELINING", "ENHANCEDSTATUSCODES");
    int port = listen();
    Path file = dir.resolve("job.journal");
    Path childErr = dir.resolve("child.err");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", System.getProperty("java.class.path"), CrashingBulkJob.class.getName(), String.valueOf(port),
      file.toString())
      .redirectErrorStream(true).redirectOutput(childErr.toFile())
      .start();
    try {
      Await.until(() -> server.storedMessages().size() >= DELIVERED_BEFORE_KILL || !child.isAlive(),
        "the relay has taken " + DELIVERED_BEFORE_KILL + " messages from the child");
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(Await.LIMIT.toMillis(), TimeUnit.MILLISECONDS)).as("child killed").isTrue();
    }
    assertThat(child.exitValue()).as("killed, not ended; its output: %s", Files.readString(childErr)).isEqualTo(137);
    Map<String, Integer> deliveredByChild = deliveries();

    // Every id the child may have started is in its journal; the re-run covers them all, and some it never reached.
    SqliteBulkJournal journal = Await.result(SqliteBulkJournal.open(vertx, file));
    long highest = Await.result(journal.load()).keySet().stream().mapToLong(id -> Long.parseLong(id.substring(1)))
      .max().orElseThrow();
    Await.result(journal.close());
    assertThat(deliveredByChild.keySet()).allMatch(id -> Long.parseLong(id.substring(1)) <= highest);
    int ids = (int) highest + 1 + 50;

    start(plainOptions(port), new PoolOptions().setMaxSize(4));
    Map<String, SendOutcome> rerun = run(file, ids);
    Map<String, Integer> delivered = deliveries();

    assertThat(rerun).hasSize(ids);
    Map<Status, Integer> tally = new HashMap<>();
    rerun.forEach((id, outcome) -> {
      tally.merge(outcome.status(), 1, Integer::sum);
      int times = delivered.getOrDefault(id, 0);
      switch (outcome.status()) {
        case SKIPPED -> {
          assertThat(outcome.journaled().status()).as(id).isEqualTo(Status.DELIVERED);
          assertThat(deliveredByChild.get(id)).as(id + " delivered by the child").isEqualTo(1);
          assertThat(times).as(id).isEqualTo(1);
        }
        case DELIVERED -> assertThat(times).as(id + " delivered once over both runs").isEqualTo(1);
        case UNKNOWN -> {
          assertThat(outcome.error().reason()).as(id).isEqualTo(Reason.IN_FLIGHT_BEFORE);
          assertThat(times).as(id + " at most once").isLessThanOrEqualTo(1);
        }
        default -> throw new AssertionError(id + " ended " + outcome);
      }
    });
    assertThat(delivered.values()).as("no id arrived twice").allMatch(times -> times == 1);
    assertThat(delivered.keySet()).allMatch(rerun::containsKey);
    assertThat(tally.get(Status.SKIPPED)).as("outcomes: %s", tally).isGreaterThanOrEqualTo(DELIVERED_BEFORE_KILL - 32);
    assertThat(tally.get(Status.DELIVERED)).as("outcomes: %s", tally).isGreaterThanOrEqualTo(50);
  }

  private static final int DELIVERED_BEFORE_KILL = 300;

  /** A job of the mails m0 ... m(count-1) with the journal at {@code file}, opened and closed around it. */
  private Map<String, SendOutcome> run(Path file, int count) {
    SqliteBulkJournal journal = Await.result(SqliteBulkJournal.open(vertx, file));
    Map<String, SendOutcome> outcomes = new ConcurrentHashMap<>();
    Promise<Void> done = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> client
      .sendAll(CountingSource.of(count, JournaledBulkSendTest::mail),
        new BulkOptions().setJournal(journal).setConcurrency(32))
      .exceptionHandler(done::tryFail)
      .endHandler(end -> done.tryComplete())
      .handler(o -> outcomes.put((String) o.mail().correlationId(), o)));
    Await.untilDone(done.future(), "journaled bulk send, outcomes", outcomes::size);
    Await.result(journal.close());
    return outcomes;
  }

  /** How often each id arrived at the relay. */
  private Map<String, Integer> deliveries() {
    Map<String, Integer> counts = new HashMap<>();
    for (String message : server.storedMessages()) {
      String subject = message.substring("Subject: ".length(), message.indexOf('\n'));
      counts.merge(subject, 1, Integer::sum);
    }
    return counts;
  }

  /** The n-th mail of a job: id "m" + n, which is also its subject. */
  static Mail mail(long n) {
    String id = "m" + n;
    return Mail.raw(Envelope.of("a@example.test", "b@example.test"),
      Buffer.buffer("Subject: " + id + "\r\n\r\nHello\r\n")).withCorrelationId(id);
  }

  static SmtpClientOptions relayOptions(int port) {
    return CrashingBulkJob.options(port);
  }
}
