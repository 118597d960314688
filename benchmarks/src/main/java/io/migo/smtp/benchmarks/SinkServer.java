package io.migo.smtp.benchmarks;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A do-nothing SMTP server in the benchmark's JVM that answers like Postfix's {@code smtp-sink}: every command is
 * accepted, message data is counted and dropped. It offers PIPELINING, 8BITMIME and ENHANCEDSTATUSCODES, and (like
 * smtp-sink) no CHUNKING, STARTTLS, SIZE or AUTH.
 *
 * <p>It shares the machine's cores with the client under test, so it is written to cost little: it runs on its own
 * Vert.x instance with one event loop (never the client's loop), parses the bytes of each read in place without
 * building Strings, answers every command of a read (pipelined input) with one write, and only counts messages.
 *
 * <p>Listens on 127.0.0.1 with an ephemeral port.
 */
public final class SinkServer implements AutoCloseable {

  private static final byte[] GREETING = ascii("220 sink ESMTP\r\n");
  private static final byte[] EHLO = ascii("250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES\r\n");
  private static final byte[] HELO = ascii("250 sink\r\n");
  private static final byte[] OK = ascii("250 2.0.0 Ok\r\n");
  private static final byte[] DATA = ascii("354 End data with <CR><LF>.<CR><LF>\r\n");
  private static final byte[] QUEUED = ascii("250 2.0.0 Ok: queued\r\n");
  private static final byte[] BYE = ascii("221 2.0.0 Bye\r\n");
  private static final byte[] UNKNOWN = ascii("502 5.5.2 Error: command not recognized\r\n");
  private static final byte[] TOO_LONG = ascii("500 5.5.2 Error: line too long\r\n");

  /** RFC 5321 §4.5.3.1.4 allows 512 octets per command line; allow slack for long parameters. */
  private static final int MAX_COMMAND_LINE = 4096;

  private final Vertx vertx;
  private final NetServer server;
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong sessions = new AtomicLong();
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();
  private final long eventLoopThreadId;

  private SinkServer(Vertx vertx, NetServer server, long eventLoopThreadId) {
    this.vertx = vertx;
    this.server = server;
    this.eventLoopThreadId = eventLoopThreadId;
  }

  /** Starts a sink on 127.0.0.1 and an ephemeral port, on a Vert.x instance of its own with one event loop. */
  public static SinkServer start() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
      .setInternalBlockingPoolSize(1));
    try {
      // The single event loop's thread: its CPU time is the sink's share of the process.
      CompletableFuture<Long> threadId = new CompletableFuture<>();
      vertx.runOnContext(v -> threadId.complete(Thread.currentThread().getId()));
      SinkServer[] holder = new SinkServer[1];
      NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0)
        .setTcpNoDelay(true));
      server.connectHandler(socket -> holder[0].accept(socket));
      holder[0] = new SinkServer(vertx, server, threadId.get(10, TimeUnit.SECONDS));
      server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return holder[0];
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return server.actualPort();
  }

  /** Messages whose final dot was received (and answered with 250), since start. */
  public long messages() {
    return messages.get();
  }

  /** Connections accepted since start. */
  public long sessions() {
    return sessions.get();
  }

  /** Socket reads (chunks received), all connections. */
  public long reads() {
    return reads.get();
  }

  /**
   * Reply writes, all connections, greetings included. Each is one turn of the dialogue: per message, the number of
   * round trips a client waited for.
   */
  public long writes() {
    return writes.get();
  }

  /** The id of the sink's only event loop thread, for {@code ThreadMXBean#getThreadCpuTime}. */
  public long eventLoopThreadId() {
    return eventLoopThreadId;
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void accept(NetSocket socket) {
    sessions.incrementAndGet();
    Session session = new Session(socket);
    socket.handler(session::onData);
    socket.exceptionHandler(t -> socket.close());
    writes.incrementAndGet();
    socket.write(Buffer.buffer(GREETING));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** One connection: a command line accumulator and the end-of-data matcher, both carried across reads. */
  private final class Session {

    // End-of-data matcher states: "\r\n.\r\n", where DATA's 354 counts as the first CRLF.
    private static final int MID_LINE = 0;
    private static final int CR = 1;
    private static final int LINE_START = 2;
    private static final int DOT = 3;
    private static final int DOT_CR = 4;

    private final NetSocket socket;
    private final byte[] line = new byte[MAX_COMMAND_LINE];
    private int lineLength;
    private boolean lineTooLong;
    private boolean inData;
    private int dataState;
    private boolean quit;
    private byte[] scratch = new byte[8192];

    Session(NetSocket socket) {
      this.socket = socket;
    }

    void onData(Buffer chunk) {
      if (quit) {
        return;
      }
      reads.incrementAndGet();
      int length = chunk.length();
      if (scratch.length < length) {
        scratch = new byte[Math.max(length, scratch.length * 2)];
      }
      byte[] in = scratch;
      chunk.getBytes(0, length, in, 0);
      Buffer out = null;
      int i = 0;
      while (i < length && !quit) {
        if (inData) {
          i = scanData(in, i, length);
          if (!inData) {
            messages.incrementAndGet();
            out = append(out, QUEUED);
          }
        } else {
          int lf = indexOfLf(in, i, length);
          int end = lf < 0 ? length : lf;
          copyToLine(in, i, end);
          if (lf < 0) {
            break;
          }
          i = lf + 1;
          out = append(out, command());
        }
      }
      if (out != null) {
        writes.incrementAndGet();
      }
      if (quit) {
        if (out != null) {
          socket.end(out);
        } else {
          socket.end();
        }
      } else if (out != null) {
        socket.write(out);
      }
    }

    /** Advances through message data; returns where the data ended (after the dot line), or {@code length}. */
    private int scanData(byte[] in, int from, int length) {
      int state = dataState;
      for (int i = from; i < length; i++) {
        byte b = in[i];
        switch (state) {
          case MID_LINE -> state = b == '\r' ? CR : MID_LINE;
          case CR -> state = b == '\n' ? LINE_START : b == '\r' ? CR : MID_LINE;
          case LINE_START -> state = b == '.' ? DOT : b == '\r' ? CR : MID_LINE;
          case DOT -> state = b == '\r' ? DOT_CR : MID_LINE;
          case DOT_CR -> {
            if (b == '\n') {
              inData = false;
              dataState = MID_LINE;
              return i + 1;
            }
            state = b == '\r' ? CR : MID_LINE;
          }
          default -> throw new IllegalStateException();
        }
      }
      dataState = state;
      return length;
    }

    private void copyToLine(byte[] in, int from, int to) {
      int n = to - from;
      if (lineLength + n > line.length) {
        lineTooLong = true;
        n = Math.max(0, line.length - lineLength);
      }
      System.arraycopy(in, from, line, lineLength, n);
      lineLength += n;
    }

    /** The reply to the complete command line in {@link #line}; resets the line. */
    private byte[] command() {
      int n = lineLength;
      boolean tooLong = lineTooLong;
      lineLength = 0;
      lineTooLong = false;
      if (tooLong) {
        return TOO_LONG;
      }
      if (n > 0 && line[n - 1] == '\r') {
        n--;
      }
      if (n < 4 || (n > 4 && line[4] != ' ')) {
        return UNKNOWN;
      }
      // The verb, upper-cased ASCII, packed into an int: no String per line.
      int verb = (upper(line[0]) << 24) | (upper(line[1]) << 16) | (upper(line[2]) << 8) | upper(line[3]);
      switch (verb) {
        case 0x45484C4F: // EHLO
          return EHLO;
        case 0x48454C4F: // HELO
          return HELO;
        case 0x4D41494C: // MAIL
        case 0x52435054: // RCPT
        case 0x52534554: // RSET
        case 0x4E4F4F50: // NOOP
          return OK;
        case 0x44415441: // DATA
          inData = true;
          dataState = LINE_START;
          return DATA;
        case 0x51554954: // QUIT
          quit = true;
          return BYE;
        default:
          return UNKNOWN;
      }
    }

    private int upper(byte b) {
      return (b >= 'a' && b <= 'z') ? b - 32 : b & 0xFF;
    }

    private int indexOfLf(byte[] in, int from, int to) {
      for (int i = from; i < to; i++) {
        if (in[i] == '\n') {
          return i;
        }
      }
      return -1;
    }

    private Buffer append(Buffer out, byte[] reply) {
      if (out == null) {
        out = Buffer.buffer(128);
      }
      return out.appendBytes(reply);
    }
  }
}
