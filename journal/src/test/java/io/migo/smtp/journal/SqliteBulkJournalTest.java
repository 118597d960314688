package io.migo.smtp.journal;

import io.migo.smtp.Envelope;
import io.migo.smtp.JournalEntry;
import io.migo.smtp.Mail;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.testkit.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class SqliteBulkJournalTest {

  @TempDir
  Path dir;
  private Vertx vertx;
  private final List<SqliteBulkJournal> opened = new ArrayList<>();
  private ExecutorService plainThreads;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    // Threads Vert.x knows nothing of: their futures complete on the journal's writer thread.
    this.plainThreads = Executors.newFixedThreadPool(4);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    for (SqliteBulkJournal journal : opened) {
      Await.result(journal.close());
    }
    plainThreads.shutdownNow();
    plainThreads.awaitTermination(1, TimeUnit.MINUTES);
  }

  @Test
  void whatIsRecordedIsWhatIsLoaded() {
    SqliteBulkJournal journal = open(dir.resolve("job.journal"));
    Mail mail = Mail.raw(Envelope.of("a@example.test", "b@example.test"), Buffer.buffer("x"));
    Await.result(journal.started("delivered"));
    Await.result(journal.started("inflight"));
    Await.result(journal.finished("delivered", new SendOutcome(mail, Status.DELIVERED,
      new SendResult(null, "2.0.0 Ok: queued as Q1", List.of("b@example.test"), List.of()), null, 2, 1, null)));
    SmtpException refused = new SmtpException(SmtpPhase.RCPT, SmtpException.Reason.REPLY, "recipient refused",
      550, "5.1.1", List.of("5.1.1 <b@example.test>: Recipient address rejected"), null);
    Await.result(journal.started("rejected"));
    Await.result(journal.finished("rejected", SendOutcome.failed(mail, refused)));

    Map<String, JournalEntry> entries = Await.result(journal.load());

    assertThat(entries).containsOnlyKeys("delivered", "inflight", "rejected");
    assertThat(entries.get("delivered"))
      .isEqualTo(new JournalEntry("delivered", Status.DELIVERED, 250, "2.0.0", "2.0.0 Ok: queued as Q1"));
    assertThat(entries.get("inflight").inFlight()).isTrue();
    JournalEntry rejected = entries.get("rejected");
    assertThat(rejected.status()).isEqualTo(Status.REJECTED);
    assertThat(rejected.code()).isEqualTo(550);
    assertThat(rejected.enhanced()).isEqualTo("5.1.1");
    assertThat(rejected.response()).contains("recipient refused");
    assertThat(journal.records()).isEqualTo(5);
  }

  @Test
  void aJournalReopenedAfterCloseHoldsWhatWasRecordedAndAStartMakesAnIdInFlightAgain() {
    Path file = dir.resolve("job.journal");
    SqliteBulkJournal first = open(file);
    Mail mail = Mail.raw(Envelope.of("a@example.test", "b@example.test"), Buffer.buffer("x"));
    Await.result(first.started("failed"));
    Await.result(first.finished("failed", SendOutcome.failed(mail,
      new SmtpException(SmtpPhase.CONNECT, SmtpException.Reason.CONNECTION, "connection refused"))));
    Await.result(first.started("crashed"));
    Await.result(first.close());
    opened.remove(first);
    assertThat(Await.failure(first.started("late"))).hasMessageContaining("closed");

    SqliteBulkJournal second = open(file);
    Map<String, JournalEntry> entries = Await.result(second.load());
    assertThat(entries.get("failed").status()).isEqualTo(Status.FAILED);
    assertThat(entries.get("crashed").inFlight()).isTrue();

    // A later run sends the FAILED id again: its start replaces the old outcome.
    Await.result(second.started("failed"));
    assertThat(Await.result(second.load()).get("failed").inFlight()).isTrue();
  }

  @Test
  void aFileThatIsNotAJournalIsRefusedAndLeftAsItWas() throws Exception {
    Path text = dir.resolve("notes.txt");
    byte[] content = "this is not a database, it is a shopping list\n".repeat(50).getBytes(StandardCharsets.UTF_8);
    Files.write(text, content);
    Throwable notSqlite = Await.failure(SqliteBulkJournal.open(vertx, text));
    assertThat(notSqlite).isInstanceOf(IOException.class).hasMessageContaining("notes.txt")
      .hasMessageContaining("is not a migo-smtp journal: it is not an SQLite database");
    assertThat(Files.readAllBytes(text)).isEqualTo(content);

    Path other = dir.resolve("other.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other);
         Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (name TEXT)");
    }
    byte[] before = Files.readAllBytes(other);
    Throwable otherDb = Await.failure(SqliteBulkJournal.open(vertx, other));
    assertThat(otherDb).isInstanceOf(IOException.class)
      .hasMessageContaining("is not a migo-smtp journal: it is an SQLite database of something else");
    assertThat(Files.readAllBytes(other)).isEqualTo(before);

    assertThat(Await.failure(SqliteBulkJournal.open(vertx, dir))).hasMessageContaining("is a directory");
    assertThat(Await.failure(SqliteBulkJournal.open(vertx, dir.resolve("missing/dir/job.journal"))))
      .hasMessageContaining("cannot open or create the journal");
  }

  @Test
  void anEmptyFileBecomesAJournal() throws IOException {
    Path file = Files.createFile(dir.resolve("empty.journal"));
    SqliteBulkJournal journal = open(file);
    Await.result(journal.started("a"));
    assertThat(Await.result(journal.load())).containsOnlyKeys("a");
  }

  @Test
  void aJournalInUseCannotBeOpenedAgain() {
    Path file = dir.resolve("job.journal");
    SqliteBulkJournal first = open(file);
    Await.result(first.started("a"));

    Throwable second = Await.failure(SqliteBulkJournal.open(vertx, file));

    assertThat(second).isInstanceOf(IOException.class).hasMessageContaining("is in use");
    Await.result(first.close());
    opened.remove(first);
    assertThat(Await.result(open(file).load())).containsOnlyKeys("a");
  }

  /**
   * Records that arrive while the writer is busy share one commit. The writer is held deterministically: a caller
   * outside Vert.x has its future completed on the writer thread, so a listener of a first record that waits for a
   * latch keeps the writer from its next commit until every other record is queued.
   */
  @Test
  void recordsPendingTogetherAreCommittedTogether() throws Exception {
    SqliteBulkJournal journal = open(dir.resolve("job.journal"));
    CountDownLatch release = new CountDownLatch(1);
    long commitsBefore = holdTheWriter(journal, release);

    int records = 2_000;
    List<java.util.concurrent.Future<Future<Void>>> submitted = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      String id = "m" + i;
      submitted.add(plainThreads.submit(() -> journal.started(id)));
    }
    List<Future<Void>> started = new ArrayList<>();
    for (var s : submitted) {
      started.add(s.get(Await.LIMIT.toMillis(), TimeUnit.MILLISECONDS));
    }
    assertThat(started).noneMatch(Future::isComplete);
    release.countDown();
    Await.result(Future.all(started));

    // The 2,000 records queued while the writer was held went in one transaction (the batch limit is 4,096).
    assertThat(journal.commits()).isEqualTo(commitsBefore + 1);
    assertThat(Await.result(journal.load())).hasSize((int) journal.records());
  }

  @Test
  void theBatchLimitBoundsATransaction() throws Exception {
    SqliteBulkJournal journal = open(dir.resolve("job.journal"), new JournalOptions().setMaxBatch(100));
    CountDownLatch release = new CountDownLatch(1);
    long commitsBefore = holdTheWriter(journal, release);
    List<Future<Void>> started = onPlainThread(() -> {
      List<Future<Void>> list = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        list.add(journal.started("m" + i));
      }
      return list;
    }).get();
    release.countDown();
    Await.result(Future.all(started));

    assertThat(journal.commits()).isEqualTo(commitsBefore + 10);
  }

  @Test
  void aFutureCompletesOnTheContextOfItsCaller() {
    SqliteBulkJournal journal = open(dir.resolve("job.journal"));
    Context context = vertx.getOrCreateContext();
    Promise<Boolean> onCallersContext = Promise.promise();
    context.runOnContext(v -> journal.started("a")
      .onComplete(ar -> onCallersContext.complete(ar.succeeded() && Vertx.currentContext() == context)));
    assertThat(Await.result(onCallersContext.future())).isTrue();
  }

  @Test
  void closeWritesWhatIsPendingFirst() throws Exception {
    Path file = dir.resolve("job.journal");
    SqliteBulkJournal journal = open(file);
    opened.remove(journal);
    List<Future<Void>> started = onPlainThread(() -> {
      List<Future<Void>> list = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        list.add(journal.started("m" + i));
      }
      list.add(journal.close());
      return list;
    }).get();
    Await.result(Future.all(started));

    assertThat(Await.result(open(file).load())).hasSize(500);
  }

  private SqliteBulkJournal open(Path file) {
    return open(file, new JournalOptions());
  }

  private SqliteBulkJournal open(Path file, JournalOptions options) {
    SqliteBulkJournal journal = Await.result(SqliteBulkJournal.open(vertx, file, options));
    opened.add(journal);
    return journal;
  }

  private <T> java.util.concurrent.Future<T> onPlainThread(java.util.concurrent.Callable<T> task) {
    return plainThreads.submit(task);
  }

  /**
   * Holds the journal's writer thread in a listener until {@code release}: the listener of a record written from a
   * plain thread runs on the writer thread, if it was attached before the commit. When the commit wins that race
   * (the listener then runs here at once), try again with another record. Returns the commits made so far.
   */
  private long holdTheWriter(SqliteBulkJournal journal, CountDownLatch release) throws Exception {
    for (int attempt = 0; attempt < 1_000; attempt++) {
      CompletableFuture<Boolean> held = new CompletableFuture<>();
      String gate = "gate" + attempt;
      onPlainThread(() -> journal.started(gate).onComplete(ar -> {
        boolean onWriter = Thread.currentThread().getName().startsWith("migo-journal-writer");
        held.complete(onWriter);
        if (onWriter) {
          awaitQuietly(release);
        }
      })).get();
      if (held.get(Await.LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        return journal.commits();
      }
    }
    throw new AssertionError("the journal's writer could not be held");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(Await.LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
