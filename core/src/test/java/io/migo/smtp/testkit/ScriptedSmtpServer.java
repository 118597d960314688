package io.migo.smtp.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.parsetools.RecordParser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An SMTP server that follows a script, for the protocol paths and faults that real servers rarely show. Listens on
 * an ephemeral loopback port. Each connection plays the next script (the last one repeats). It records a transcript
 * of every line ("C: ..." and "S: ..."), the raw chunks it read, and any departure from the script, which a test
 * asserts is empty.
 */
public final class ScriptedSmtpServer {

  private final Vertx vertx;
  private final List<List<Step>> scripts = new ArrayList<>();
  private final List<Step> loop = new ArrayList<>();
  private final List<List<String>> transcripts = new CopyOnWriteArrayList<>();
  private final List<String> transcript = new CopyOnWriteArrayList<>();
  private final List<String> reads = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final List<NetSocket> sockets = new CopyOnWriteArrayList<>();
  private SelfSignedCertificate certificate;
  private boolean implicitTls;
  private NetServer server;
  private int connections;

  public ScriptedSmtpServer(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The dialogue for the next connection. */
  public ScriptedSmtpServer script(Step... steps) {
    scripts.add(List.of(steps));
    return this;
  }

  /** Steps every connection repeats, in order, after its script: e.g. one mail transaction, for many messages. */
  public ScriptedSmtpServer loop(Step... steps) {
    loop.addAll(List.of(steps));
    return this;
  }

  /** The certificate for STARTTLS (and implicit TLS); clients trust {@code certificate.trustOptions()}. */
  public ScriptedSmtpServer tls(SelfSignedCertificate certificate) {
    this.certificate = certificate;
    return this;
  }

  public ScriptedSmtpServer implicitTls(SelfSignedCertificate certificate) {
    this.certificate = certificate;
    this.implicitTls = true;
    return this;
  }

  public Future<Integer> start() {
    NetServerOptions options = new NetServerOptions().setHost("127.0.0.1").setPort(0);
    if (implicitTls) {
      options.setSsl(true).setKeyCertOptions(certificate.keyCertOptions());
    }
    server = vertx.createNetServer(options).connectHandler(this::onConnect);
    return server.listen().map(NetServer::actualPort);
  }

  /** Closes every connection first: one that stopped reading would otherwise hold the server's close open. */
  public Future<Void> stop() {
    sockets.forEach(NetSocket::close);
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** Every line in order: "C: " for the client's, "S: " for the server's; message data as one "C: <data>" entry. */
  public List<String> transcript() {
    return Collections.unmodifiableList(transcript);
  }

  /** One transcript per connection, in the order connections were accepted. */
  public List<List<String>> transcripts() {
    return Collections.unmodifiableList(transcripts);
  }

  /** The raw chunks the server read, as text: a pipelined batch sent in one write shows up as one chunk. */
  public List<String> reads() {
    return Collections.unmodifiableList(reads);
  }

  /** Departures from the script; a test asserts this is empty. */
  public List<String> errors() {
    return Collections.unmodifiableList(errors);
  }

  /**
   * The message content received, exactly as on the wire: for DATA still dot-stuffed, up to but excluding the final
   * "."; for BDAT the chunks joined.
   */
  public List<String> messages() {
    return Collections.unmodifiableList(messages);
  }

  public synchronized int connections() {
    return connections;
  }

  private void onConnect(NetSocket socket) {
    sockets.add(socket);
    List<Step> script;
    synchronized (this) {
      script = scripts.get(Math.min(connections, scripts.size() - 1));
      connections++;
    }
    new Dialogue(socket, script).begin();
  }

  /** One connection playing one script, then the loop. */
  private final class Dialogue {
    private final NetSocket socket;
    private final List<Step> steps;
    private final List<String> own = new CopyOnWriteArrayList<>();
    private final RecordParser parser = RecordParser.newDelimited("\r\n");
    private final StringBuilder data = new StringBuilder();
    private int stepIndex;
    private int lineInStep;
    private boolean inData;
    private boolean inChunk;
    private boolean lastChunk;

    Dialogue(NetSocket socket, List<Step> steps) {
      this.socket = socket;
      this.steps = steps;
      transcripts.add(own);
    }

    void begin() {
      parser.handler(this::onRecord);
      socket.handler(chunk -> {
        reads.add(chunk.toString(StandardCharsets.UTF_8));
        parser.handle(chunk);
      });
      if (!steps.isEmpty() && steps.get(0).kind == Step.Kind.GREETING) {
        act(steps.get(stepIndex++));
      }
    }

    private Step step(int index) {
      if (index < steps.size()) {
        return steps.get(index);
      }
      return loop.isEmpty() ? null : loop.get((index - steps.size()) % loop.size());
    }

    private void record(String entry) {
      transcript.add(entry);
      own.add(entry);
    }

    private void onRecord(Buffer buffer) {
      if (inChunk) {
        onChunk(buffer);
        return;
      }
      String line = buffer.toString(StandardCharsets.UTF_8);
      if (inData) {
        if (line.equals(".")) {
          inData = false;
          endMessage();
          act(step(stepIndex++));
        } else {
          data.append(line).append("\r\n");
        }
        return;
      }
      record("C: " + line);
      Step step = step(stepIndex);
      if (step == null) {
        depart("unexpected line after the script ended: " + line);
        return;
      }
      if (step.kind != Step.Kind.COMMANDS || !step.matches(lineInStep, line)) {
        depart("step " + stepIndex + " expected " + step + " but got: " + line);
        return;
      }
      if (line.startsWith("BDAT ")) {
        String[] words = line.split(" ");
        int size = Integer.parseInt(words[1]);
        lastChunk = words.length > 2 && words[2].equals("LAST");
        if (size > 0) {
          inChunk = true;
          parser.fixedSizeMode(size);
          return;
        }
        onChunk(Buffer.buffer());
        return;
      }
      lineMatched(step);
    }

    /** RFC 3030: the chunk's bytes follow its BDAT line, counted, not delimited. */
    private void onChunk(Buffer chunk) {
      inChunk = false;
      parser.delimitedMode("\r\n");
      data.append(chunk.toString(StandardCharsets.UTF_8));
      if (lastChunk) {
        endMessage();
      }
      lineMatched(step(stepIndex));
    }

    private void lineMatched(Step step) {
      if (++lineInStep == step.expected.size()) {
        lineInStep = 0;
        stepIndex++;
        act(step);
        Step next = step(stepIndex);
        if (next != null && next.kind == Step.Kind.DATA) {
          inData = true;
        }
      }
    }

    private void endMessage() {
      messages.add(data.toString());
      record("C: <data " + data.length() + " bytes>");
      data.setLength(0);
    }

    private void act(Step step) {
      writeFrom(step, 0);
    }

    private void writeFrom(Step step, int index) {
      if (index == step.writes.size()) {
        finish(step);
        return;
      }
      List<String> write = step.writes.get(index);
      Buffer out = Buffer.buffer();
      if (write.size() == 2 && write.get(0).equals("\u0000raw")) {
        out.appendString(write.get(1));
        record("S: <raw " + write.get(1).replace("\r", "\\r").replace("\n", "\\n") + ">");
      } else {
        for (String line : write) {
          out.appendString(line).appendString("\r\n");
          record("S: " + line);
        }
      }
      if (step.upgradeTls && index + 1 == step.writes.size()) {
        // The reply to STARTTLS goes out in clear and the TLS handler is in place before the client's hello can
        // arrive: Vert.x does both in one call. Writing first and upgrading after would race the client.
        socket.upgradeToSsl(new ServerSSLOptions().setKeyCertOptions(certificate.keyCertOptions()), out)
          .onFailure(t -> record("S: <TLS failed: " + t.getMessage() + ">"));
        finish(step);
        return;
      }
      socket.write(out);
      if (step.delayBetweenWritesMs > 0 && index + 1 < step.writes.size()) {
        vertx.setTimer(step.delayBetweenWritesMs, id -> writeFrom(step, index + 1));
      } else {
        writeFrom(step, index + 1);
      }
    }

    private void finish(Step step) {
      if (step.stopReading) {
        socket.pause();
      }
      if (step.close) {
        socket.close();
      }
    }

    private void depart(String error) {
      errors.add(error);
      socket.write("503 5.5.1 not in the script\r\n");
      socket.close();
    }
  }
}
