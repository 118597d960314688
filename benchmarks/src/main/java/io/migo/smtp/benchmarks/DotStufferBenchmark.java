package io.migo.smtp.benchmarks;

import io.migo.smtp.impl.protocol.DotStuffer;
import io.vertx.core.buffer.Buffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The cost of preparing message data for the wire (CRLF normalization, dot-stuffing, terminator) without any I/O:
 * the part of the per-message CPU that depends on message size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DotStufferBenchmark {

  @Param({"2048", "65536", "1048576"})
  int size;

  @Param({"CRLF", "LF"})
  String lineEnding;

  private Buffer message;

  @Setup
  public void setUp() {
    String eol = lineEnding.equals("CRLF") ? "\r\n" : "\n";
    StringBuilder sb = new StringBuilder(size + 128);
    sb.append("Subject: benchmark").append(eol).append(eol);
    int line = 0;
    while (sb.length() < size) {
      // One line in 20 starts with a dot, so the stuffing path is exercised too.
      sb.append(line++ % 20 == 0 ? "." : "").append("The quick brown fox jumps over the lazy dog 0123456789 abcdefgh")
        .append(eol);
    }
    message = Buffer.buffer(sb.toString());
  }

  @Benchmark
  public Buffer encode() {
    Buffer out = Buffer.buffer(message.length() + message.length() / 16 + 8);
    DotStuffer stuffer = new DotStuffer(true);
    stuffer.encode(message, out);
    stuffer.finish(out);
    return out;
  }
}
