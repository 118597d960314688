package io.migo.smtp.it;

import io.migo.smtp.Envelope;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.CountingSink;
import io.migo.smtp.testkit.FaultProxy;
import io.migo.smtp.testkit.Heap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 200,000 messages through the pool, with a proxy between client and sink that drops connections at random points.
 * The sink is the ground truth: every message the client calls delivered is there exactly once; none the client
 * calls failed (safe to retry) is there; only messages whose outcome is unknown (lost at DATA_END, after the final
 * dot) may or may not be. Every socket is closed at the end, and the heap does not grow with the message count.
 * Bounded by progress, not by the clock: it fails only if no message settles for a minute, so a slow or busy
 * machine passes; the throughput is printed, never asserted.
 */
class FaultSoakIT {

  private static final int MESSAGES = Integer.getInteger("migo.soak.messages", 200_000);
  private static final int IN_FLIGHT = 8;
  /**
   * Fewer sessions than messages in flight, so that messages wait for a session and go behind another's final dot
   * (pipelining across messages): the drops then also strike such chains.
   */
  private static final int SESSIONS = Integer.getInteger("migo.soak.sessions", 4);
  private static final long SEED = Long.getLong("migo.soak.seed", 20261128L);

  @Test
  void everyMessageIsAccountedForUnderRandomDrops() throws Exception {
    Vertx vertx = Vertx.vertx();
    CountingSink sink = new CountingSink(vertx, MESSAGES);
    int sinkPort = Await.result(sink.start());
    FaultProxy proxy = new FaultProxy(vertx, sinkPort, 0.002, SEED);
    int proxyPort = Await.result(proxy.start());
    SmtpClientOptions options = new SmtpClientOptions().setHost("127.0.0.1").setPort(proxyPort)
      .setTlsMode(TlsMode.NONE).setEhloName("soak.example")
      // Generous, and shorter than Await's stall limit: a stuck command ends as a typed TIMEOUT outcome (still
      // accounted for below) rather than as a stalled run, and a busy machine's slow reply is not a timeout.
      .setCommandTimeout(Duration.ofSeconds(30)).setDataTimeout(Duration.ofSeconds(30));
    // The client and the driver share one event loop, so that a completion starts the next send without a hop.
    Context context = vertx.getOrCreateContext();
    CompletableFuture<SmtpClient> created = new CompletableFuture<>();
    context.runOnContext(v -> created.complete(
      SmtpClient.create(vertx, options, new PoolOptions().setMaxSize(SESSIONS))));
    SmtpClient client = created.get();
    Driver driver = new Driver(client);

    Await.untilDone(driver.run(context, 0, MESSAGES / 4), "soak, messages settled", driver::settled);
    long heapAtQuarter = Heap.settledUsed();
    Await.untilDone(driver.run(context, MESSAGES / 4, MESSAGES), "soak, messages settled", driver::settled);
    long heapAtEnd = Heap.settledUsed();
    Await.result(client.close());

    assertThat(driver.delivered.cardinality() + driver.failed.cardinality() + driver.unknown.cardinality())
      .as("every message has exactly one outcome").isEqualTo(MESSAGES);
    assertThat(proxy.drops()).as("the proxy really dropped connections").isGreaterThan(MESSAGES / 1000);
    int unknownThatArrived = 0;
    for (int seq = 0; seq < MESSAGES; seq++) {
      int times = sink.timesAccepted(seq);
      assertThat(times).as("message %d reached the server at most once", seq).isLessThanOrEqualTo(1);
      if (driver.delivered.get(seq)) {
        assertThat(times).as("delivered message %d is at the server", seq).isEqualTo(1);
      } else if (driver.failed.get(seq)) {
        assertThat(times).as("failed (safe to retry) message %d is not at the server", seq).isZero();
      } else {
        unknownThatArrived += times;
      }
    }
    Await.until(() -> proxy.openConnections() == 0, "every proxy connection closed");
    Await.until(() -> sink.openConnections() == 0, "every sink connection closed");
    // The bookkeeping is preallocated (bit sets, the sink's array), so growth would be the client's.
    Heap.assertNoGrowth(heapAtQuarter, heapAtEnd, MESSAGES - MESSAGES / 4);

    System.out.printf("soak: %d messages in %.1f s (%.0f msgs/s), %d delivered, %d failed, %d unknown"
        + " (%d of them arrived), %d drops, failures by phase/reason %s, heap after GC %d KiB -> %d KiB%n",
      MESSAGES, driver.seconds, MESSAGES / driver.seconds, driver.delivered.cardinality(),
      driver.failed.cardinality(), driver.unknown.cardinality(), unknownThatArrived, proxy.drops(), driver.reasons,
      heapAtQuarter / 1024, heapAtEnd / 1024);
    Await.result(proxy.stop());
    Await.result(sink.stop());
    Await.result(vertx.close());
  }

  /** Keeps IN_FLIGHT sends going on the client's event loop; each completion records its outcome and starts the next. */
  private static final class Driver {
    final SmtpClient client;
    final BitSet delivered = new BitSet(MESSAGES);
    final BitSet failed = new BitSet(MESSAGES);
    final BitSet unknown = new BitSet(MESSAGES);
    final Map<String, Integer> reasons = new HashMap<>();
    double seconds;
    /** Messages with an outcome so far: written on the event loop only, read by the test thread to see progress. */
    private volatile long settled;
    private int next;
    private int end;
    private int inFlight;
    private long started;
    private Promise<Void> done;

    Driver(SmtpClient client) {
      this.client = client;
    }

    long settled() {
      return settled;
    }

    Future<Void> run(Context context, int from, int to) {
      Promise<Void> promise = Promise.promise();
      context.runOnContext(v -> {
        done = promise;
        next = from;
        end = to;
        started = System.nanoTime();
        for (int i = 0; i < IN_FLIGHT; i++) {
          startNext();
        }
      });
      return promise.future();
    }

    private void startNext() {
      if (next == end) {
        if (inFlight == 0) {
          seconds += (System.nanoTime() - started) / 1e9;
          done.tryComplete();
        }
        return;
      }
      int seq = next++;
      inFlight++;
      client.send(Envelope.of("soak@example.test", "rcpt@example.test"),
          Buffer.buffer("X-Seq: " + seq + "\r\nSubject: soak\r\n\r\nmessage " + seq + "\r\n"))
        .onComplete(ar -> {
          inFlight--;
          record(seq, ar.succeeded() ? null : ar.cause());
          settled++; // one writer, the event loop: volatile is enough
          startNext();
        });
    }

    /** Outcome by the documented rule: no reply after the end of the data is unknown, any other failure failed. */
    private void record(int seq, Throwable failure) {
      if (failure == null) {
        delivered.set(seq);
        return;
      }
      SmtpException e = (SmtpException) failure;
      reasons.merge(e.phase() + "/" + e.reason(), 1, Integer::sum);
      boolean lostAfterTheDot = e.phase() == SmtpPhase.DATA_END && e.replyCode() < 0;
      (lostAfterTheDot ? unknown : failed).set(seq);
    }
  }
}
