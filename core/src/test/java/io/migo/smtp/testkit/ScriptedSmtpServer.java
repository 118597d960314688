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
 * an ephemeral loopback port. Each connection plays the next script (the last one repeats), then the loop, then
 * answers any further line by rules ({@link #answer}). It records a transcript of every line ("C: ..." and
 * "S: ..."), the raw chunks it read, and any departure from the script, which a test asserts is empty.
 *
 * <p>With a greeting script and rules only ({@link RelayRules}) it is a plain relay that takes any number of
 * connections and messages in any order: what a command-line test or a shared suite needs from a server.
 */
public final class ScriptedSmtpServer {

  private final Vertx vertx;
  private final List<List<Step>> scripts = new ArrayList<>();
  private final List<Step> loop = new ArrayList<>();
  private final List<Step> rules = new ArrayList<>();
  private final List<List<String>> transcripts = new CopyOnWriteArrayList<>();
  private final List<String> transcript = new CopyOnWriteArrayList<>();
  private final List<String> reads = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final List<String> stored = new CopyOnWriteArrayList<>();
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

  /**
   * Rules for the lines the script and the loop do not cover, in any order: the first rule whose single pattern
   * matches the line answers it. A reply of 354 makes the lines that follow message data, up to the final dot, which
   * the first {@link Step#onData()} rule answers. No BDAT here: a server played by rules does not offer CHUNKING.
   */
  public ScriptedSmtpServer answer(Step... rules) {
    for (Step rule : rules) {
      if (rule.kind == Step.Kind.GREETING || rule.expected.size() > 1) {
        throw new IllegalArgumentException("a rule answers one line or one message: " + rule);
      }
    }
    this.rules.addAll(List.of(rules));
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

  /** Listens on the Unix domain socket {@code path} instead of a TCP port (LMTP's usual transport). */
  public Future<Void> startOnUnixSocket(java.nio.file.Path path) {
    server = vertx.createNetServer(new NetServerOptions()).connectHandler(this::onConnect);
    return server.listen(io.vertx.core.net.SocketAddress.domainSocketAddress(path.toString())).mapEmpty();
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

  /**
   * The message content received, as a mailbox stores it: dot-unstuffed and with LF line ends (as Postfix writes its
   * Maildir), so that one assertion reads the same against this server and a real one.
   */
  public List<String> storedMessages() {
    return Collections.unmodifiableList(stored);
  }

  public synchronized int connections() {
    return connections;
  }

  private void onConnect(NetSocket socket) {
    sockets.add(socket);
    List<Step> script;
    synchronized (this) {
      script = scripts.isEmpty() ? List.of() : scripts.get(Math.min(connections, scripts.size() - 1));
      connections++;
    }
    new Dialogue(socket, script).begin();
  }

  /** One connection playing one script, then the loop, then the rules. */
  private final class Dialogue {
    private final NetSocket socket;
    private final List<Step> steps;
    private final List<String> own = new CopyOnWriteArrayList<>();
    private final RecordParser parser = RecordParser.newDelimited("\r\n");
    private final StringBuilder data = new StringBuilder();
    private final StringBuilder unstuffed = new StringBuilder();
    /** Every write waits for the one before it, so that chunks leave in order and never interleave with the next step's. */
    private Future<Void> lastWrite = Future.succeededFuture();
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
        act(steps.get(stepIndex++), "");
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
          String content = endMessage();
          Step step = step(stepIndex);
          if (step == null) {
            answerData(content);
          } else {
            stepIndex++;
            act(step, content);
          }
        } else {
          data.append(line).append("\r\n");
          unstuffed.append(line.startsWith(".") ? line.substring(1) : line).append('\n');
        }
        return;
      }
      record("C: " + line);
      Step step = step(stepIndex);
      if (step == null) {
        answerCommand(line);
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
      lineMatched(step, line);
    }

    private void answerCommand(String line) {
      Step rule = rules.stream().filter(r -> r.answers(line)).findFirst().orElse(null);
      if (rule == null) {
        depart((rules.isEmpty() ? "unexpected line after the script ended: " : "no rule answers: ") + line);
        return;
      }
      // RFC 5321 section 4.2: 354 is the one reply after which the client sends the message.
      inData = act(rule, line).startsWith("354");
    }

    private void answerData(String content) {
      Step rule = rules.stream().filter(r -> r.kind == Step.Kind.DATA).findFirst().orElse(null);
      if (rule == null) {
        depart("no rule answers the message data");
        return;
      }
      act(rule, content);
    }

    /** RFC 3030: the chunk's bytes follow its BDAT line, counted, not delimited. */
    private void onChunk(Buffer chunk) {
      inChunk = false;
      parser.delimitedMode("\r\n");
      String text = chunk.toString(StandardCharsets.UTF_8);
      data.append(text);
      unstuffed.append(text.replace("\r\n", "\n"));
      String content = lastChunk ? endMessage() : text;
      lineMatched(step(stepIndex), content);
    }

    private void lineMatched(Step step, String input) {
      if (++lineInStep == step.expected.size()) {
        lineInStep = 0;
        stepIndex++;
        act(step, input);
        Step next = step(stepIndex);
        if (next != null && next.kind == Step.Kind.DATA) {
          inData = true;
        }
      }
    }

    /** Ends a message; returns its content as on the wire. */
    private String endMessage() {
      String content = data.toString();
      messages.add(content);
      stored.add(unstuffed.toString());
      record("C: <data " + data.length() + " bytes>");
      data.setLength(0);
      unstuffed.setLength(0);
      return content;
    }

    /**
     * Writes the step's replies, in order, then upgrades, pauses or closes as the step says.
     *
     * @param input what the client sent that the step answers, for {@link Step.Answer}
     * @return the last reply line written, so that a rule can tell a 354
     */
    private String act(Step step, String input) {
      List<Buffer> outs = new ArrayList<>();
      String lastLine = "";
      for (Step.Write write : step.writes) {
        Buffer out = Buffer.buffer();
        if (write instanceof Step.Raw raw) {
          out.appendString(raw.bytes());
          record("S: <raw " + raw.bytes().replace("\r", "\\r").replace("\n", "\\n") + ">");
        } else if (write instanceof Step.Lines lines) {
          for (String line : lines.lines()) {
            out.appendString(line).appendString("\r\n");
            record("S: " + line);
            lastLine = line;
          }
        } else if (write instanceof Step.Answer answer) {
          lastLine = answer.reply().apply(input);
          out.appendString(lastLine).appendString("\r\n");
          record("S: " + lastLine);
        }
        outs.add(out);
      }
      if (step.gate != null) {
        Future<?> gate = step.gate;
        lastWrite = lastWrite.transform(ar -> gate.transform(g -> Future.<Void>succeededFuture()));
      }
      for (int i = 0; i < outs.size(); i++) {
        Buffer out = outs.get(i);
        if (step.upgradeTls && i + 1 == outs.size()) {
          // The reply to STARTTLS goes out in clear and the TLS handler is in place before the client's hello can
          // arrive: Vert.x does both in one call. Writing first and upgrading after would race the client.
          lastWrite = lastWrite.transform(ar -> socket.upgradeToSsl(
              new ServerSSLOptions().setKeyCertOptions(certificate.keyCertOptions()), out)
            .onFailure(t -> record("S: <TLS failed: " + t.getMessage() + ">")));
        } else {
          lastWrite = lastWrite.transform(ar -> socket.write(out));
        }
      }
      if (step.stopReading) {
        socket.pause();
      }
      if (step.close) {
        lastWrite.onComplete(ar -> socket.close());
      }
      return lastLine;
    }

    private void depart(String error) {
      errors.add(error);
      lastWrite.onComplete(ar -> socket.write("503 5.5.1 not in the script\r\n").onComplete(w -> socket.close()));
    }
  }
}
