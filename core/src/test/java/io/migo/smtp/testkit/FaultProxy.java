package io.migo.smtp.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a plain-text SMTP server that drops connections: either at random points (after each chunk
 * it forwards, in either direction, it closes both sides with a fixed probability; seeded, so a failing run can be
 * replayed), or once, at a chosen point of the first message that passes ({@link #dropOnce}). Counts the drops it
 * made, the message contents that began to flow to the server, and the connections still open.
 */
public final class FaultProxy {

  /** Where {@link #dropOnce} cuts the first message. */
  public enum DropPoint {
    /** After the first chunk of the content reached the server, long before the final dot: the server has nothing. */
    IN_CONTENT,
    /** After the final dot reached the server, before its verdict reaches the client: the server has the message. */
    AFTER_FINAL_DOT
  }

  /** The proxy's receive buffer when it cuts the content: small, so that the client cannot write far ahead. */
  public static final int RECEIVE_BUFFER = 64 * 1024;

  private final Vertx vertx;
  private final int targetPort;
  private final double dropProbability;
  private final Random random;
  private final DropPoint dropPoint;
  private final AtomicBoolean armed = new AtomicBoolean(true);
  private final AtomicInteger drops = new AtomicInteger();
  private final AtomicInteger contents = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private NetServer server;
  private NetClient client;

  public FaultProxy(Vertx vertx, int targetPort, double dropProbability, long seed) {
    this(vertx, targetPort, dropProbability, new Random(seed), null);
  }

  private FaultProxy(Vertx vertx, int targetPort, double dropProbability, Random random, DropPoint dropPoint) {
    this.vertx = vertx;
    this.targetPort = targetPort;
    this.dropProbability = dropProbability;
    this.random = random;
    this.dropPoint = dropPoint;
  }

  /**
   * A proxy that watches the SMTP dialogue (so: no TLS) and drops the connection of the first message at
   * {@code point}, then relays everything else untouched: a client that sent the message again would get it through,
   * and {@link #contentsForwarded()} would show it.
   */
  public static FaultProxy dropOnce(Vertx vertx, int targetPort, DropPoint point) {
    return new FaultProxy(vertx, targetPort, 0, null, point);
  }

  public Future<Integer> start() {
    client = vertx.createNetClient();
    NetServerOptions options = new NetServerOptions().setHost("127.0.0.1").setPort(0);
    if (dropPoint == DropPoint.IN_CONTENT) {
      // A fixed SO_RCVBUF turns off the kernel's autotuning: once the proxy stops reading, the client can hand
      // its kernel no more than its own send buffer, so a larger message is still being written when the drop comes.
      options.setReceiveBufferSize(RECEIVE_BUFFER);
    }
    server = vertx.createNetServer(options).connectHandler(this::relay);
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

  /** How many message contents began to flow to the server (a 354 went to the client): sends and resends. */
  public int contentsForwarded() {
    return contents.get();
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
      if (dropPoint == null) {
        downstream.handler(chunk -> forward(chunk, upstream, closeBoth));
        upstream.handler(chunk -> forward(chunk, downstream, closeBoth));
      } else {
        new Watched(downstream, upstream, closeBoth).relay();
      }
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

  /**
   * One connection whose SMTP dialogue the proxy follows, just enough to find the content: a 354 from the server
   * starts it, the final CRLF.CRLF from the client ends it (dot-stuffing makes that sequence unique), the next
   * bytes from the server are the verdict. Both sockets share the event loop the connection was accepted on.
   */
  private final class Watched {
    private final NetSocket downstream;
    private final NetSocket upstream;
    private final Runnable closeBoth;
    private boolean inContent;
    private boolean awaitingVerdict;
    private String tail = "";

    Watched(NetSocket downstream, NetSocket upstream, Runnable closeBoth) {
      this.downstream = downstream;
      this.upstream = upstream;
      this.closeBoth = closeBoth;
    }

    void relay() {
      downstream.handler(this::fromClient);
      upstream.handler(this::fromServer);
    }

    private void fromClient(Buffer chunk) {
      if (!inContent) {
        upstream.write(chunk);
        return;
      }
      if (dropPoint == DropPoint.IN_CONTENT && armed.compareAndSet(true, false)) {
        drops.incrementAndGet();
        downstream.pause();
        upstream.write(chunk).onComplete(ar -> closeBoth.run());
        return;
      }
      upstream.write(chunk);
      String text = tail + chunk.toString(StandardCharsets.ISO_8859_1);
      tail = text.substring(Math.max(0, text.length() - 4));
      if (text.contains("\r\n.\r\n")) {
        inContent = false;
        awaitingVerdict = true;
      }
    }

    private void fromServer(Buffer chunk) {
      if (awaitingVerdict) {
        awaitingVerdict = false;
        if (dropPoint == DropPoint.AFTER_FINAL_DOT && armed.compareAndSet(true, false)) {
          drops.incrementAndGet();
          closeBoth.run();
          return;
        }
      }
      downstream.write(chunk);
      if (("\n" + chunk.toString(StandardCharsets.ISO_8859_1)).contains("\n354 ")) {
        contents.incrementAndGet();
        inContent = true;
        tail = "\r\n"; // the content's first line may be the final dot of an empty message
      }
    }
  }
}
