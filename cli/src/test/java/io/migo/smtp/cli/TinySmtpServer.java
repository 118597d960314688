package io.migo.smtp.cli;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Just enough of an SMTP server for the command line's end-to-end tests: no TLS, no AUTH, no PIPELINING. A
 * recipient whose address starts with "reject" is refused with 550 5.1.1; everything else is accepted. Each
 * message's data lines (dot-unstuffed) are kept for assertions.
 */
final class TinySmtpServer implements AutoCloseable {

  /** Where a connection is in the dialogue: reading commands, or reading message data up to the lone dot. */
  private enum Mode { COMMANDS, DATA }

  private final Vertx vertx;
  private final NetServer server;
  private final List<String> messages = new CopyOnWriteArrayList<>();

  private TinySmtpServer(Vertx vertx) {
    this.vertx = vertx;
    this.server = vertx.createNetServer().connectHandler(this::serve);
  }

  static TinySmtpServer start() throws Exception {
    TinySmtpServer smtp = new TinySmtpServer(Vertx.vertx());
    smtp.server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return smtp;
  }

  int port() {
    return server.actualPort();
  }

  /** The content of every message accepted so far, lines joined with LF. */
  List<String> messages() {
    return messages;
  }

  private void serve(NetSocket socket) {
    Connection connection = new Connection(socket);
    socket.handler(RecordParser.newDelimited("\r\n", connection::line));
    socket.write("220 tiny.test ESMTP\r\n");
  }

  /** One client's dialogue; runs on the socket's event loop only. */
  private final class Connection {
    private final NetSocket socket;
    private Mode mode = Mode.COMMANDS;
    private final StringBuilder data = new StringBuilder();

    Connection(NetSocket socket) {
      this.socket = socket;
    }

    void line(Buffer buffer) {
      String line = buffer.toString();
      if (mode == Mode.DATA) {
        dataLine(line);
      } else {
        command(line);
      }
    }

    private void dataLine(String line) {
      if (line.equals(".")) {
        messages.add(data.toString());
        data.setLength(0);
        mode = Mode.COMMANDS;
        reply("250 2.0.0 Ok: queued as Q" + messages.size());
      } else {
        data.append(line.startsWith(".") ? line.substring(1) : line).append('\n');
      }
    }

    private void command(String line) {
      String upper = line.toUpperCase(Locale.ROOT);
      if (upper.startsWith("EHLO") || upper.startsWith("HELO")) {
        reply("250 tiny.test");
      } else if (upper.startsWith("MAIL FROM:") || upper.equals("RSET") || upper.equals("NOOP")) {
        reply("250 2.0.0 Ok");
      } else if (upper.startsWith("RCPT TO:<REJECT")) {
        reply("550 5.1.1 " + line.substring("RCPT TO:".length()) + ": Recipient address rejected");
      } else if (upper.startsWith("RCPT TO:")) {
        reply("250 2.1.5 Ok");
      } else if (upper.equals("DATA")) {
        mode = Mode.DATA;
        reply("354 End data with <CR><LF>.<CR><LF>");
      } else if (upper.equals("QUIT")) {
        socket.write("221 2.0.0 Bye\r\n").onComplete(ar -> socket.close());
      } else {
        reply("502 5.5.2 Error: command not recognized");
      }
    }

    private void reply(String line) {
      socket.write(line + "\r\n");
    }
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
