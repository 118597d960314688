package io.migo.smtp.benchmarks;

import io.migo.smtp.DkimAlgorithm;
import io.migo.smtp.DkimOptions;
import io.migo.smtp.impl.dkim.BodyHasher;
import io.migo.smtp.DkimCanonicalization;
import io.migo.smtp.impl.dkim.DkimSigner;
import io.vertx.core.buffer.Buffer;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
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

import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The CPU cost of DKIM-signing one message (body hash, header selection and canonicalization, the signature, the
 * field prepended), per algorithm and size, without I/O; and the body hash alone, the part that grows with the size.
 * RSA keys are 2048 bits, what receivers expect today.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DkimSignBenchmark {

  @Param({"rsa-sha256", "ed25519-sha256"})
  String algorithm;

  @Param({"2048", "65536"})
  int size;

  /** Who signs: the JDK's own provider, or BouncyCastle's (set with {@link DkimOptions#setProvider}). */
  @Param({"JDK", "BC"})
  String provider;

  private DkimSigner signer;
  private Buffer message;

  @Setup
  public void setUp() throws Exception {
    DkimAlgorithm a = DkimAlgorithm.ofTag(algorithm);
    KeyPairGenerator generator = KeyPairGenerator.getInstance(a.keyAlgorithm());
    if (a == DkimAlgorithm.RSA_SHA256) {
      generator.initialize(2048);
    }
    signer = new DkimSigner(new DkimOptions().setDomain("example.test").setSelector("bench")
      .setPrivateKey(generator.generateKeyPair().getPrivate())
      .setProvider(provider.equals("BC") ? new BouncyCastleProvider() : null), Clock.systemUTC());
    StringBuilder sb = new StringBuilder(size + 512);
    sb.append("From: Alice <alice@example.test>\r\nTo: bob@example.test\r\nSubject: benchmark\r\n")
      .append("Date: Thu, 3 Dec 2026 06:00:00 +0000\r\nMessage-ID: <bench@example.test>\r\n")
      .append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
    while (sb.length() < size) {
      sb.append("The quick brown fox jumps over the lazy dog  0123456789 abcdefgh \r\n");
    }
    message = Buffer.buffer(sb.toString());
  }

  @Benchmark
  public Buffer sign() {
    return signer.sign(message);
  }

  @Benchmark
  public byte[] bodyHashOnly() {
    BodyHasher hasher = BodyHasher.of(DkimCanonicalization.RELAXED);
    hasher.update(message);
    return hasher.finish();
  }
}
