package io.migo.smtp.cli;

import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.TlsMode;
import io.migo.smtp.demo.EmbeddedSmtpServer;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code migo-smtp demo}: the first command to try. It starts an SMTP server inside the process (STARTTLS and AUTH
 * required, a certificate for localhost generated on the spot and trusted explicitly, host name verified), sends a
 * batch through the pool, checks that the server received every message the client saw accepted, and prints the
 * throughput. Nothing to install, nothing on the network beyond the loopback interface.
 */
@Command(name = "demo",
  sortOptions = false,
  description = "Starts an embedded SMTP server (STARTTLS and AUTH required, its own generated certificate), sends "
    + "--count messages to it through the pool, checks that it received them all, and prints the throughput.",
  footerHeading = "%n",
  footer = {"Exit status: 0 when every message was delivered and the server received exactly those, 1 otherwise, "
    + "2 for bad arguments.",
    "With --json: one line like send's (see send --help), plus server_received."})
final class DemoCommand implements Callable<Integer> {

  static final String FROM = "demo-sender@migo.test";
  static final String TO = "demo-recipient@migo.test";

  @Spec
  CommandSpec spec;

  @Option(names = "--count", paramLabel = "N", defaultValue = "10000",
    description = "Number of messages to send (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--concurrency", paramLabel = "C", defaultValue = "8",
    description = "Messages in flight at once, and sessions opened at most (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--size", paramLabel = "BYTES", defaultValue = "0",
    description = "Pad each message's text to about BYTES bytes (default: a one-line text).")
  int size;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
    description = TimeoutOption.DESCRIPTION + " (default: 10s to connect, 30s for each command's reply, 5m for the "
      + "greeting, 10m for the data).")
  Duration timeout;

  @Option(names = "--json", description = "Print one JSON line with the outcome, and nothing else, on stdout.")
  boolean json;

  @Option(names = "--no-progress", description = "Do not show progress on stderr.")
  boolean noProgress;

  @Option(names = {"-v", "--verbose"}, description = "Show stack traces of unexpected errors.")
  boolean verbose;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Override
  public Integer call() throws Exception {
    checkArguments();
    PrintWriter err = spec.commandLine().getErr();
    try (EmbeddedSmtpServer server = new EmbeddedSmtpServer().start()) {
      if (!json) {
        info(String.format(Locale.ROOT, "embedded SMTP server on %s:%d (STARTTLS and AUTH required); sending %d "
          + "messages with %d sessions", server.host(), server.port(), count, concurrency));
      }
      MessageFactory messages = MessageFactory.text(FROM, List.of(TO), "migo-smtp demo",
        "Hello from the migo-smtp demo.", size);
      SmtpClientOptions options = TimeoutOption.applyTo(clientOptions(server), timeout);
      Summary summary = BulkRun.run(options, count, concurrency, messages, progress(err), err);
      long received = server.received();
      long accepted = (long) summary.delivered() + summary.partiallyDelivered();
      print(summary, received);
      if (received != accepted) {
        err.println("error: the server received " + received + " messages but the client saw " + accepted
          + " accepted");
        err.flush();
        return 1;
      }
      return summary.allDelivered() ? 0 : 1;
    }
  }

  /** What a real deployment would use: STARTTLS required, one trusted certificate, host name verified, AUTH. */
  static SmtpClientOptions clientOptions(EmbeddedSmtpServer server) {
    return new SmtpClientOptions()
      .setHost(server.host())
      .setPort(server.port())
      .setTlsMode(TlsMode.STARTTLS_REQUIRED)
      .setTrustOptions(server.trustOptions())
      .setVerifyHostname(true)
      .setCredentials(server.user(), server.password())
      .setConnectTimeout(Duration.ofSeconds(10))
      .setCommandTimeout(Duration.ofSeconds(30));
  }

  private void checkArguments() {
    if (count < 1) {
      throw new ParameterException(spec.commandLine(), "--count must be at least 1, was " + count);
    }
    if (concurrency < 1) {
      throw new ParameterException(spec.commandLine(), "--concurrency must be at least 1, was " + concurrency);
    }
    if (size < 0) {
      throw new ParameterException(spec.commandLine(), "--size must not be negative, was " + size);
    }
  }

  private ProgressDisplay progress(PrintWriter err) {
    return noProgress ? ProgressDisplay.none() : ProgressDisplay.create(ProgressDisplay.Mode.AUTO, System.err, err);
  }

  private void print(Summary summary, long received) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new JsonObject(summary.toJsonLine()).put("server_received", received).encode());
    } else {
      out.print(summary.toText());
      out.println("server received " + received + " messages");
      out.println(String.format(Locale.ROOT, "throughput: %.0f msgs/s (STARTTLS + AUTH, %d sessions)",
        summary.messagesPerSecond(), concurrency));
    }
    out.flush();
  }

  private void info(String line) {
    PrintWriter err = spec.commandLine().getErr();
    err.println(line);
    err.flush();
  }
}
