package io.migo.smtp.benchmarks;

import io.migo.smtp.Envelope;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.TlsMode;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Round trips per message through a {@link DelayProxy} (issue 12, part 2): the proxy delays every server→client
 * chunk (5 ms by default) in front of an external server (smtp-sink by default), one migo session
 * ({@code --sessions}) with {@code --concurrency} messages in flight. Prints the measured round-trip time (median of
 * NOOPs through the proxy), msgs/s, msgs/s × RTT and its inverse, the round trips per message; the goal is
 * msgs/s ≥ 0.8 / RTT. {@code --user} and {@code --password} log in first (Postfix's plain port of the test servers,
 * which offers CHUNKING, relays only for authenticated clients); over loopback without TLS, so plaintext mechanisms
 * are allowed — test credentials only.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.migo.smtp.benchmarks.DelayedRelayProbe \
 *     --port=10026 --delay-ms=5 --sessions=1 --concurrency=8 --count=1000 --warmup=200
 * </pre>
 */
public final class DelayedRelayProbe {

  public static void main(String[] args) throws Exception {
    int port = Target.DEFAULT_EXTERNAL_PORT;
    long delayMs = 5;
    int sessions = 1;
    int concurrency = 8;
    int count = 1000;
    int warmup = 200;
    String user = null;
    String password = null;
    for (String arg : args) {
      String[] kv = arg.replaceFirst("^--", "").split("=", 2);
      switch (kv[0]) {
        case "port" -> port = Integer.parseInt(kv[1]);
        case "delay-ms" -> delayMs = Long.parseLong(kv[1]);
        case "sessions" -> sessions = Integer.parseInt(kv[1]);
        case "concurrency" -> concurrency = Integer.parseInt(kv[1]);
        case "count" -> count = Integer.parseInt(kv[1]);
        case "warmup" -> warmup = Integer.parseInt(kv[1]);
        case "user" -> user = kv[1];
        case "password" -> password = kv[1];
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    Vertx proxyVertx = Vertx.vertx();
    Vertx clientVertx = Vertx.vertx();
    DelayProxy proxy = DelayProxy.start(proxyVertx, Target.DEFAULT_EXTERNAL_HOST, port, delayMs);
    try {
      double rttMs = medianNoopMillis(clientVertx, proxy.port(), 40);
      SmtpClientOptions options = new SmtpClientOptions().setHost("127.0.0.1").setPort(proxy.port())
        .setTlsMode(TlsMode.NONE);
      if (user != null) {
        options.setCredentials(user, password).setAllowPlaintextAuth(true);
      }
      SmtpClient client = SmtpClient.create(clientVertx, options,
        // One session for the whole run: a session replaced every 1,000 messages would add its handshake.
        new PoolOptions().setMaxSize(sessions).setMaxMessagesPerSession(0));
      Envelope envelope = LoadClient.envelope();
      Buffer message = LoadClient.renderedMessage();
      Window.run(() -> client.send(envelope, message), warmup, concurrency, TimeUnit.MINUTES.toMillis(5));
      long start = System.nanoTime();
      Window.run(() -> client.send(envelope, message), count, concurrency, TimeUnit.MINUTES.toMillis(10));
      double seconds = (System.nanoTime() - start) / 1e9;
      client.close().await();
      double rate = count / seconds;
      System.out.printf("delay %d ms, RTT %.2f ms (median NOOP), %d session(s), %d in flight, %d messages:%n",
        delayMs, rttMs, sessions, concurrency, count);
      double perRtt = rttMs / 1000 * rate / sessions;
      System.out.printf("  %.1f msgs/s; goal >= 0.8 / RTT = %.1f msgs/s%s; per session: msgs/s x RTT = %.2f,"
          + " round trips per message = %.2f%n", rate, 0.8 * 1000 / rttMs * sessions,
        rate >= 0.8 * 1000 / rttMs * sessions ? " (met)" : " (NOT met)", perRtt, 1 / perRtt);
    } finally {
      proxy.close();
      clientVertx.close().await();
      proxyVertx.close().await();
    }
  }

  /** Greeting, EHLO, then {@code n} NOOPs one after another; the median NOOP round trip in ms. */
  private static double medianNoopMillis(Vertx vertx, int port, int n) {
    NetSocket[] socket = new NetSocket[1];
    List<Long> times = Collections.synchronizedList(new ArrayList<>());
    Promise<Void> done = Promise.promise();
    long[] sentAt = new long[1];
    int[] replies = new int[1];
    RecordParser parser = RecordParser.newDelimited("\r\n", line -> {
      String text = line.toString();
      if (text.length() > 3 && text.charAt(3) == '-') {
        return; // a continuation line
      }
      int index = replies[0]++;
      if (index == 0) {
        socket[0].write("EHLO probe.example\r\n");
        return;
      }
      if (index > 1) {
        times.add(System.nanoTime() - sentAt[0]);
      }
      if (index > n) {
        socket[0].write("QUIT\r\n");
        done.tryComplete();
        return;
      }
      sentAt[0] = System.nanoTime();
      socket[0].write("NOOP\r\n");
    });
    // The handler is set on the event loop as the connection completes, before anything can be read (the greeting).
    vertx.createNetClient().connect(port, "127.0.0.1").onSuccess(s -> {
      socket[0] = s;
      s.handler(parser);
    }).onFailure(done::tryFail);
    done.future().await();
    socket[0].close();
    List<Long> sorted = new ArrayList<>(times);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2) / 1e6;
  }
}
