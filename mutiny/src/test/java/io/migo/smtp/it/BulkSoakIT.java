package io.migo.smtp.it;

import io.migo.mutiny.smtp.SmtpClient;
import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.CountingSink;
import io.migo.smtp.testkit.Heap;
import io.smallrye.mutiny.Multi;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long bulk run through the Mutiny {@code sendAll}: 200,000 messages from a lazily generated source. Memory stays
 * flat because the source is read only as sessions free up — nothing piles up between the source and the pool.
 * Bounded by progress, not by the clock: it fails only if no outcome arrives for a minute, so a slow or busy machine
 * passes; the throughput is printed, never asserted.
 */
class BulkSoakIT {

  private static final int MESSAGES = Integer.getInteger("migo.bulk.messages", 200_000);

  @Test
  void aLongBulkRunKeepsMemoryFlatAndDeliversEveryMessageOnce() {
    Vertx vertx = Vertx.vertx();
    CountingSink sink = new CountingSink(vertx, MESSAGES);
    int port = Await.result(sink.start());
    // A generous command timeout: this run checks delivery, and a busy machine's slow reply is not a timeout.
    SmtpClient client = SmtpClient.create(io.vertx.mutiny.core.Vertx.newInstance(vertx),
      new SmtpClientOptions().setHost("127.0.0.1").setPort(port).setTlsMode(TlsMode.NONE).setEhloName("bulk.example")
        .setCommandTimeout(Duration.ofSeconds(30)),
      new PoolOptions().setMaxSize(8));
    Promise<Void> quarterDone = Promise.promise();
    AtomicInteger delivered = new AtomicInteger();
    AtomicLong settled = new AtomicLong();

    Multi<Mail> source = Multi.createFrom().range(0, MESSAGES)
      .map(i -> Mail.raw(Envelope.of("bulk@example.test", "rcpt@example.test"),
        Buffer.buffer("X-Seq: " + i + "\r\nSubject: bulk\r\n\r\nmessage " + i + "\r\n")).withCorrelationId(i));
    long started = System.nanoTime();
    Future<SendOutcome> last = Future.fromCompletionStage(client.sendAll(source)
      .onItem().invoke(outcome -> {
        if (settled.incrementAndGet() == MESSAGES / 4) {
          quarterDone.complete();
        }
        if (outcome.status() == SendOutcome.Status.DELIVERED) {
          delivered.incrementAndGet();
        }
      })
      .collect().last()
      .subscribeAsCompletionStage());
    // Measured on the test thread while the run goes on, not in the stream, which would block the event loop.
    Await.untilDone(Future.any(quarterDone.future(), last), "bulk, outcomes received", settled::get);
    long heapAtQuarter = Heap.settledUsed();
    Await.untilDone(last, "bulk, outcomes received", settled::get);
    double seconds = (System.nanoTime() - started) / 1e9;
    long heapAtEnd = Heap.settledUsed();
    client.close().await().atMost(Await.LIMIT);

    assertThat(delivered).hasValue(MESSAGES);
    for (int seq = 0; seq < MESSAGES; seq++) {
      assertThat(sink.timesAccepted(seq)).as("message %d", seq).isEqualTo(1);
    }
    Heap.assertNoGrowth(heapAtQuarter, heapAtEnd, MESSAGES - MESSAGES / 4);
    System.out.printf("bulk: %d messages in %.1f s (%.0f msgs/s), heap after GC %d KiB -> %d KiB%n",
      MESSAGES, seconds, MESSAGES / seconds, heapAtQuarter / 1024, heapAtEnd / 1024);
    Await.result(sink.stop());
    Await.result(vertx.close());
  }
}
