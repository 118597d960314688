package io.migo.smtp.benchmarks;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.util.ArrayDeque;

/**
 * A TCP proxy on loopback that delays every server→client chunk by a fixed time and passes client→server bytes
 * at once: a relay "far away" in one direction, so that what a client pays per round trip shows in its msgs/s
 * (issue 12, part 2). Chunks leave in the order they came, each {@code delayMs} after it arrived; a close from the
 * server follows its last chunk. No backpressure: for benchmark messages of a few KB, not for bulk data.
 *
 * <p>Runs on the Vert.x it is given (give it its own, so that the client under test does not share its event loop).
 */
public final class DelayProxy implements AutoCloseable {

  private final Vertx vertx;
  private final NetServer server;
  private final NetClient upstream;

  private DelayProxy(Vertx vertx, NetServer server, NetClient upstream) {
    this.vertx = vertx;
    this.server = server;
    this.upstream = upstream;
  }

  /** Listens on an ephemeral loopback port and forwards every connection to {@code targetHost:targetPort}. */
  public static DelayProxy start(Vertx vertx, String targetHost, int targetPort, long delayMs) {
    NetClient upstream = vertx.createNetClient();
    NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true));
    server.connectHandler(client -> {
      client.pause();
      upstream.connect(targetPort, targetHost).onSuccess(target -> {
        Delayed toClient = new Delayed(vertx, client, delayMs);
        client.handler(target::write);
        client.closeHandler(v -> target.close());
        target.handler(toClient::add);
        target.closeHandler(v -> toClient.closeAfterLast());
        client.resume();
      }).onFailure(t -> client.close());
    });
    server.listen().await();
    return new DelayProxy(vertx, server, upstream);
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    server.close().await();
    upstream.close().await();
  }

  /** The server→client direction: a FIFO of chunks with their due times, one timer at a time. */
  private static final class Delayed {
    private final Vertx vertx;
    private final NetSocket out;
    private final long delayNanos;
    private final ArrayDeque<Buffer> chunks = new ArrayDeque<>();
    private final ArrayDeque<Long> due = new ArrayDeque<>();
    private boolean timerSet;
    private boolean closeAfterLast;

    Delayed(Vertx vertx, NetSocket out, long delayMs) {
      this.vertx = vertx;
      this.out = out;
      this.delayNanos = delayMs * 1_000_000L;
    }

    void add(Buffer chunk) {
      chunks.add(chunk);
      due.add(System.nanoTime() + delayNanos);
      schedule();
    }

    void closeAfterLast() {
      closeAfterLast = true;
      if (chunks.isEmpty()) {
        out.close();
      }
    }

    private void schedule() {
      if (timerSet || due.isEmpty()) {
        return;
      }
      timerSet = true;
      long waitMs = Math.max(1, (due.peek() - System.nanoTime() + 999_999) / 1_000_000L);
      vertx.setTimer(waitMs, id -> {
        timerSet = false;
        long now = System.nanoTime();
        while (!due.isEmpty() && due.peek() <= now) {
          due.poll();
          out.write(chunks.poll());
        }
        if (chunks.isEmpty() && closeAfterLast) {
          out.close();
        }
        schedule();
      });
    }
  }
}
