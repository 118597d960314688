package io.migo.smtp.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pipelining SMTP sink that records, for every message it accepted (final dot seen, 250 sent), the number in its
 * {@code X-Seq} header, and how many times it saw it: the ground truth a soak test compares the client's outcomes
 * with. The counts live in a preallocated array, so that the sink's own bookkeeping does not grow with the run and
 * a heap measurement shows the client's. Counts open connections so a test can check that every socket was closed.
 */
public final class CountingSink {

  private final Vertx vertx;
  private final AtomicIntegerArray accepted;
  private final AtomicInteger openConnections = new AtomicInteger();
  private NetServer server;
  private boolean slowReader;

  /** @param maxSeq X-Seq values run from 0 to maxSeq - 1 */
  public CountingSink(Vertx vertx, int maxSeq) {
    this.vertx = vertx;
    this.accepted = new AtomicIntegerArray(maxSeq);
  }

  /**
   * Reads one buffer per millisecond instead of as fast as it can, so that a client writing a large message meets
   * back-pressure (a full write queue) on every slice. Pacing only: nothing depends on how fast that turns out.
   */
  public CountingSink slowReader() {
    this.slowReader = true;
    return this;
  }

  public Future<Integer> start() {
    server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0)).connectHandler(this::serve);
    return server.listen().map(NetServer::actualPort);
  }

  public Future<Void> stop() {
    return server.close();
  }

  /** How many times the message with this X-Seq was accepted. */
  public int timesAccepted(int seq) {
    return accepted.get(seq);
  }

  public int openConnections() {
    return openConnections.get();
  }

  private void serve(NetSocket socket) {
    openConnections.incrementAndGet();
    socket.closeHandler(v -> openConnections.decrementAndGet());
    RecordParser parser = RecordParser.newDelimited("\r\n");
    boolean[] inData = {false};
    String[] seq = {null};
    parser.handler(line -> {
      String text = line.toString(StandardCharsets.US_ASCII);
      if (inData[0]) {
        if (text.equals(".")) {
          inData[0] = false;
          if (seq[0] != null) {
            accepted.incrementAndGet(Integer.parseInt(seq[0]));
          }
          seq[0] = null;
          socket.write("250 2.0.0 Ok: queued\r\n");
        } else if (text.startsWith("X-Seq: ")) {
          seq[0] = text.substring(7);
        }
        return;
      }
      String verb = text.length() >= 4 ? text.substring(0, 4).toUpperCase() : text.toUpperCase();
      switch (verb) {
        case "EHLO" -> socket.write("250-sink\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n");
        case "DATA" -> {
          inData[0] = true;
          socket.write("354 go ahead\r\n");
        }
        case "QUIT" -> socket.write("221 2.0.0 Bye\r\n").onComplete(ar -> socket.close());
        default -> socket.write("250 2.0.0 Ok\r\n");
      }
    });
    socket.handler(parser);
    if (slowReader) {
      socket.pause();
      long pacer = vertx.setPeriodic(1, id -> socket.fetch(1));
      socket.closeHandler(v -> {
        vertx.cancelTimer(pacer);
        openConnections.decrementAndGet();
      });
    }
    socket.write("220 sink ESMTP\r\n");
  }
}
