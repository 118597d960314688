package io.migo.smtp.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy that drops connections at random points: after each chunk it forwards, in either direction, it
 * closes both sides with a fixed probability. Seeded, so a failing run can be replayed. Counts the drops it made
 * and the connections still open.
 */
public final class FaultProxy {

  private final Vertx vertx;
  private final int targetPort;
  private final double dropProbability;
  private final Random random;
  private final AtomicInteger drops = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private NetServer server;
  private NetClient client;

  public FaultProxy(Vertx vertx, int targetPort, double dropProbability, long seed) {
    this.vertx = vertx;
    this.targetPort = targetPort;
    this.dropProbability = dropProbability;
    this.random = new Random(seed);
  }

  public Future<Integer> start() {
    client = vertx.createNetClient();
    server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0)).connectHandler(this::relay);
    return server.listen().map(NetServer::actualPort);
  }

  public Future<Void> stop() {
    return server.close().eventually(client::close);
  }

  public int drops() {
    return drops.get();
  }

  public int openConnections() {
    return open.get();
  }

  private void relay(NetSocket downstream) {
    open.incrementAndGet();
    downstream.pause();
    client.connect(targetPort, "127.0.0.1").onComplete(ar -> {
      if (ar.failed()) {
        downstream.close();
        open.decrementAndGet();
        return;
      }
      NetSocket upstream = ar.result();
      boolean[] closed = {false};
      Runnable closeBoth = () -> {
        if (!closed[0]) {
          closed[0] = true;
          open.decrementAndGet();
          downstream.close();
          upstream.close();
        }
      };
      downstream.handler(chunk -> forward(chunk, upstream, closeBoth));
      upstream.handler(chunk -> forward(chunk, downstream, closeBoth));
      downstream.closeHandler(v -> closeBoth.run());
      upstream.closeHandler(v -> closeBoth.run());
      downstream.resume();
    });
  }

  private void forward(Buffer chunk, NetSocket to, Runnable closeBoth) {
    boolean drop;
    synchronized (random) {
      drop = random.nextDouble() < dropProbability;
    }
    if (drop) {
      drops.incrementAndGet();
      // Sometimes the chunk gets through first and the connection drops right after: a reply or a final dot that
      // arrived while its answer never did.
      boolean forwardFirst;
      synchronized (random) {
        forwardFirst = random.nextBoolean();
      }
      if (forwardFirst) {
        to.write(chunk).onComplete(ar -> closeBoth.run());
      } else {
        closeBoth.run();
      }
      return;
    }
    to.write(chunk);
  }
}
