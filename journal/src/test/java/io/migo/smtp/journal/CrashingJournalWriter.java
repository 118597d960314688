package io.migo.smtp.journal;

import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of {@link SqliteBulkJournalCrashTest}: records starts and outcomes as fast as it can, with many in
 * flight, and prints each one the journal has confirmed ("started m17", "finished m17") until it is killed. It never
 * ends on its own.
 */
public final class CrashingJournalWriter {

  private static final int IN_FLIGHT = 256;

  private CrashingJournalWriter() {
  }

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    PrintStream out = new PrintStream(System.out, false, "UTF-8");
    Vertx vertx = Vertx.vertx();
    SqliteBulkJournal journal = SqliteBulkJournal.open(vertx, file).toCompletionStage().toCompletableFuture()
      .get(1, TimeUnit.MINUTES);
    out.println("open");
    out.flush();
    Mail mail = Mail.raw(Envelope.of("a@example.test", "b@example.test"), Buffer.buffer("x"));
    SendResult accepted = new SendResult(null, "2.0.0 Ok: queued as Q", List.of("b@example.test"), List.of());
    Semaphore slots = new Semaphore(IN_FLIGHT);
    // Called from this plain thread, so futures complete on the writer thread, in commit order.
    for (long n = 0; ; n++) {
      String id = "m" + n;
      slots.acquire();
      journal.started(id).onComplete(ar -> {
        if (ar.failed()) {
          slots.release();
          return;
        }
        confirmed(out, "started " + id);
        journal.finished(id, SendOutcome.delivered(mail, accepted)).onComplete(done -> {
          if (done.succeeded()) {
            confirmed(out, "finished " + id);
          }
          slots.release();
        });
      });
    }
  }

  /** Flushed at once: the parent counts only what it has read, so a line lost in a buffer only claims less. */
  private static void confirmed(PrintStream out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
