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
  private final List<String> transcript = new CopyOnWriteArrayList<>();
  private final List<String> reads = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final List<String> messages = new CopyOnWriteArrayList<>();
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

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** Every line in order: "C: " for the client's, "S: " for the server's; message data as one "C: <data>" entry. */
  public List<String> transcript() {
    return Collections.unmodifiableList(transcript);
  }

  /** The raw chunks the server read, as text: a pipelined batch sent in one write shows up as one chunk. */
  public List<String> reads() {
    return Collections.unmodifiableList(reads);
  }

  /** Departures from the script; a test asserts this is empty. */
  public List<String> errors() {
    return Collections.unmodifiableList(errors);
  }

  /** The message data received, exactly as on the wire (still dot-stuffed), up to but excluding the final ".". */
  public List<String> messages() {
    return Collections.unmodifiableList(messages);
  }

  public synchronized int connections() {
    return connections;
  }

  private void onConnect(NetSocket socket) {
    List<Step> script;
    synchronized (this) {
      script = scripts.get(Math.min(connections, scripts.size() - 1));
      connections++;
    }
    new Dialogue(socket, script).begin();
  }

  /** One connection playing one script. */
  private final class Dialogue {
    private final NetSocket socket;
    private final List<Step> steps;
    private final RecordParser parser = RecordParser.newDelimited("\r\n");
    private final StringBuilder data = new StringBuilder();
    private int stepIndex;
    private int lineInStep;
    private boolean inData;

    Dialogue(NetSocket socket, List<Step> steps) {
      this.socket = socket;
      this.steps = steps;
    }

    void begin() {
      parser.handler(this::onLine);
      socket.handler(chunk -> {
        reads.add(chunk.toString(StandardCharsets.UTF_8));
        parser.handle(chunk);
      });
      if (!steps.isEmpty() && steps.get(0).kind == Step.Kind.GREETING) {
        act(steps.get(stepIndex++));
      }
    }

    private void onLine(Buffer buffer) {
      String line = buffer.toString(StandardCharsets.UTF_8);
      if (inData) {
        if (line.equals(".")) {
          inData = false;
          messages.add(data.toString());
          transcript.add("C: <data " + data.length() + " bytes>");
          data.setLength(0);
          act(steps.get(stepIndex++));
        } else {
          data.append(line).append("\r\n");
        }
        return;
      }
      transcript.add("C: " + line);
      if (stepIndex >= steps.size()) {
        depart("unexpected line after the script ended: " + line);
        return;
      }
      Step step = steps.get(stepIndex);
      if (step.kind != Step.Kind.COMMANDS || !step.matches(lineInStep, line)) {
        depart("step " + stepIndex + " expected " + step + " but got: " + line);
        return;
      }
      if (++lineInStep == step.expected.size()) {
        lineInStep = 0;
        stepIndex++;
        act(step);
        if (stepIndex < steps.size() && steps.get(stepIndex).kind == Step.Kind.DATA) {
          inData = true;
        }
      }
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
        transcript.add("S: <raw " + write.get(1).replace("\r", "\\r").replace("\n", "\\n") + ">");
      } else {
        for (String line : write) {
          out.appendString(line).appendString("\r\n");
          transcript.add("S: " + line);
        }
      }
      if (step.upgradeTls && index + 1 == step.writes.size()) {
        // The reply to STARTTLS goes out in clear and the TLS handler is in place before the client's hello can
        // arrive: Vert.x does both in one call. Writing first and upgrading after would race the client.
        socket.upgradeToSsl(new ServerSSLOptions().setKeyCertOptions(certificate.keyCertOptions()), out)
          .onFailure(t -> transcript.add("S: <TLS failed: " + t.getMessage() + ">"));
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
