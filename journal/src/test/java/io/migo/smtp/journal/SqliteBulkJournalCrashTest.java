package io.migo.smtp.journal;

import io.migo.smtp.JournalEntry;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.testkit.Await;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of a process that is writing its journal loses nothing the journal confirmed. A child JVM
 * ({@link CrashingJournalWriter}) records as fast as it can and prints every confirmed record; once this test has
 * read {@value #CONFIRMED_BEFORE_KILL} confirmed outcomes it kills the child with SIGKILL
 * ({@link Process#destroyForcibly()}), mid-commit as likely as not, and reopens the file: every start and every
 * outcome the child saw confirmed is there.
 */
@ExtendWith(VertxExtension.class)
class SqliteBulkJournalCrashTest {

  private static final int CONFIRMED_BEFORE_KILL = 5_000;

  @TempDir
  Path dir;

  @Test
  void everyConfirmedRecordSurvivesKillMinus9(Vertx vertx) throws Exception {
    Path file = dir.resolve("crash.journal");
    Path childErr = dir.resolve("child.err");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", System.getProperty("java.class.path"), CrashingJournalWriter.class.getName(), file.toString())
      .redirectError(childErr.toFile())
      .start();
    Set<String> started = ConcurrentHashMap.newKeySet();
    Set<String> finished = ConcurrentHashMap.newKeySet();
    AtomicLong lines = new AtomicLong();
    Promise<Void> enough = Promise.promise();
    Thread reader = new Thread(() -> read(child, started, finished, lines, enough), "child-reader");
    reader.start();
    try {
      Await.untilDone(enough.future(), "child confirmations read", lines::get);
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(Await.LIMIT.toMillis(), TimeUnit.MILLISECONDS)).as("child killed").isTrue();
    }
    reader.join(Await.LIMIT.toMillis());
    // 137 = 128 + SIGKILL: it was killed, it did not stop by itself.
    assertThat(child.exitValue()).as("child's exit status; its stderr: %s", Files.readString(childErr))
      .isEqualTo(137);

    SqliteBulkJournal reopened = Await.result(SqliteBulkJournal.open(vertx, file));
    Map<String, JournalEntry> entries = Await.result(reopened.load());
    Await.result(reopened.close());

    assertThat(finished).hasSizeGreaterThanOrEqualTo(CONFIRMED_BEFORE_KILL);
    assertThat(entries.keySet()).containsAll(started);
    for (String id : finished) {
      assertThat(entries.get(id).status()).as(id).isEqualTo(Status.DELIVERED);
    }
    // What the child had not seen confirmed may or may not be there; what is there is a start or a DELIVERED.
    assertThat(entries.values()).allMatch(e -> e.inFlight() || e.status() == Status.DELIVERED);
  }

  private static void read(Process child, Set<String> started, Set<String> finished, AtomicLong lines,
                           Promise<Void> enough) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
      StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.incrementAndGet();
        if (line.startsWith("started ")) {
          started.add(line.substring("started ".length()));
        } else if (line.startsWith("finished ")) {
          finished.add(line.substring("finished ".length()));
          if (finished.size() >= CONFIRMED_BEFORE_KILL) {
            enough.tryComplete();
          }
        }
      }
      // The child only ends when killed: ending before enough was read is a failure of the child.
      enough.tryFail("the child ended after " + lines.get() + " lines, before it was killed");
    } catch (Exception e) {
      enough.tryFail(e);
    }
  }
}
