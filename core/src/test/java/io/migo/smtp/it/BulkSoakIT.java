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
import io.smallrye.mutiny.Multi;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long bulk run through the Mutiny {@code sendAll}: 200,000 messages from a lazily generated source. Memory stays
 * flat because the source is read only as sessions free up — nothing piles up between the source and the pool.
 */
class BulkSoakIT {

  private static final int MESSAGES = Integer.getInteger("migo.bulk.messages", 200_000);

  @Test
  void aLongBulkRunKeepsMemoryFlatAndDeliversEveryMessageOnce() {
    Vertx vertx = Vertx.vertx();
    CountingSink sink = new CountingSink(vertx, MESSAGES);
    int port = Await.result(sink.start());
    SmtpClient client = SmtpClient.create(io.vertx.mutiny.core.Vertx.newInstance(vertx), new SmtpClientOptions().setHost("127.0.0.1").setPort(port)
        .setTlsMode(TlsMode.NONE).setEhloName("bulk.example").setCommandTimeout(Duration.ofSeconds(10)),
      new PoolOptions().setMaxSize(8));
    AtomicLong heapAtQuarter = new AtomicLong();
    AtomicInteger delivered = new AtomicInteger();

    Multi<Mail> source = Multi.createFrom().range(0, MESSAGES)
      .map(i -> Mail.raw(Envelope.of("bulk@example.test", "rcpt@example.test"),
        Buffer.buffer("X-Seq: " + i + "\r\nSubject: bulk\r\n\r\nmessage " + i + "\r\n")).withCorrelationId(i));
    long started = System.nanoTime();
    client.sendAll(source)
      .onItem().invoke(outcome -> {
        if (outcome.status() == SendOutcome.Status.DELIVERED) {
          delivered.incrementAndGet();
        }
        if ((int) outcome.mail().correlationId() == MESSAGES / 4) {
          heapAtQuarter.set(usedHeapAfterGc());
        }
      })
      .collect().last()
      .await().atMost(Duration.ofMinutes(3));
    double seconds = (System.nanoTime() - started) / 1e9;
    long heapAtEnd = usedHeapAfterGc();
    client.closeAndAwait();

    assertThat(delivered).hasValue(MESSAGES);
    for (int seq = 0; seq < MESSAGES; seq++) {
      assertThat(sink.timesAccepted(seq)).as("message %d", seq).isEqualTo(1);
    }
    assertThat(heapAtEnd - heapAtQuarter.get()).as("heap growth after GC, bytes").isLessThan(8L * 1024 * 1024);
    System.out.printf("bulk: %d messages in %.1f s (%.0f msgs/s), heap after GC %d KiB -> %d KiB%n",
      MESSAGES, seconds, MESSAGES / seconds, heapAtQuarter.get() / 1024, heapAtEnd / 1024);
    Await.result(sink.stop());
    Await.result(vertx.close());
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
