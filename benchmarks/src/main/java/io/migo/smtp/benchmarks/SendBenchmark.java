package io.migo.smtp.benchmarks;

import io.vertx.core.Vertx;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end send throughput over loopback, in messages per second: each invocation sends {@value #BATCH} messages of
 * about 2 KB, one recipient each, keeping {@code concurrency} in flight over a pool of {@code concurrency} sessions.
 *
 * <p>{@code target=embedded} sends to an in-JVM {@link SinkServer} on its own event loop, and checks at teardown that
 * it received exactly the messages reported delivered; {@code target=external} sends to {@code -Dsmtp.host}/
 * {@code -Dsmtp.port} (default 127.0.0.1:10026, Postfix's smtp-sink from {@code scripts/test-servers.sh start}).
 * JMH forks: pass those with {@code -jvmArgsAppend "-Dsmtp.port=..."}.
 *
 * <p>The client and its sessions are created once per trial and warmed before measuring; a failed send fails the
 * benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class SendBenchmark {

  static final int BATCH = 1_000;
  /** A bound on one batch: far above what even one session at a time needs on loopback. */
  static final long BATCH_TIMEOUT_MS = 60_000;

  @Param({"1", "8", "32"})
  int concurrency;

  @Param({"migo", "migo-raw", "vertx-mail", "angus-mail"})
  String client;

  @Param({"embedded"})
  String target;

  private Target server;
  private Vertx vertx;
  private LoadClient sender;
  private final AtomicLong delivered = new AtomicLong();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    server = Target.open(target);
    vertx = Vertx.vertx();
    sender = LoadClient.create(client, vertx, server.host(), server.port(), concurrency);
    // Open every session of the pool before measuring.
    delivered.addAndGet(Window.run(sender::send, concurrency * 4, concurrency, BATCH_TIMEOUT_MS));
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int send() throws Exception {
    int n = Window.run(sender::send, BATCH, concurrency, BATCH_TIMEOUT_MS);
    delivered.addAndGet(n);
    return n;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    try {
      if (sender != null) {
        sender.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      SinkServer sink = server == null ? null : server.sink();
      if (sink != null) {
        long received = sink.messages();
        System.out.printf("%nverify: %s c=%d delivered=%d sink received=%d sessions=%d%n", client, concurrency,
          delivered.get(), received, sink.sessions());
        if (received != delivered.get()) {
          throw new IllegalStateException("the sink received " + received + " messages but the client reported "
            + delivered.get() + " delivered");
        }
      } else {
        System.out.printf("%nverify: %s c=%d delivered=%d (external server: not counted here)%n", client,
          concurrency, delivered.get());
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }
}
