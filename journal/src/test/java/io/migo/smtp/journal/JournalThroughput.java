package io.migo.smtp.journal;

import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A crude measurement, run by hand (not a test): records per second through {@link SqliteBulkJournal}, a start and
 * an outcome per message, with a bounded number of messages in flight as a bulk send has.
 * Arguments: messages (default 200000), in flight (default 256), durability (PROCESS_CRASH or POWER_LOSS).
 */
public final class JournalThroughput {

  private JournalThroughput() {
  }

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    JournalOptions.Durability durability = args.length > 2 ? JournalOptions.Durability.valueOf(args[2])
      : JournalOptions.Durability.PROCESS_CRASH;
    Path dir = Files.createTempDirectory("journal-throughput");
    Path file = dir.resolve("throughput.journal");
    Vertx vertx = Vertx.vertx();
    SqliteBulkJournal journal = SqliteBulkJournal.open(vertx, file, new JournalOptions().setDurability(durability))
      .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    Mail mail = Mail.raw(Envelope.of("a@example.test", "b@example.test"), Buffer.buffer("x"));
    SendOutcome delivered = SendOutcome.delivered(mail, new SendResult(null, "2.0.0 Ok: queued as 4Xk9",
      List.of("b@example.test"), List.of()));
    Semaphore slots = new Semaphore(inFlight);
    long start = System.nanoTime();
    for (int n = 0; n < messages; n++) {
      String id = "m" + n;
      slots.acquire();
      journal.started(id)
        .compose(v -> journal.finished(id, delivered))
        .onComplete(ar -> slots.release());
    }
    slots.acquire(inFlight);
    double seconds = (System.nanoTime() - start) / 1e9;
    long records = journal.records();
    System.out.printf("%s, %d in flight: %d records in %.2f s = %.0f records/s, %d commits (%.1f records each)%n",
      durability, inFlight, records, seconds, records / seconds, journal.commits(),
      (double) records / journal.commits());
    journal.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    vertx.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }
}
