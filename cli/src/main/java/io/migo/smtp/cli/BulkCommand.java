package io.migo.smtp.cli;

import io.migo.smtp.SmtpClientOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code migo-smtp bulk}: a bulk job. Sends every message of a JSON Lines file (or stdin) through the relay at the
 * pace the relay allows, writes what became of each line to an outcomes file as it happens, and ends with a summary.
 * Arguments are checked before anything touches the network; so are the input, outcomes and journal files.
 */
@Command(name = "bulk",
  sortOptions = false,
  sortSynopsis = false,
  description = {
    "Sends every message of a JSON Lines file through an SMTP relay, as fast as the relay allows, and reports what "
      + "became of each.",
    "Each line is {\"id\":\"42\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\"],\"cc\":[],\"bcc\":[],"
      + "\"subject\":\"...\",\"text\":\"...\",\"html\":\"...\",\"headers\":{\"X-Campaign\":\"c1\"},"
      + "\"attachments\":[{\"path\":\"f.pdf\",\"contentType\":\"application/pdf\",\"name\":\"f.pdf\"}]} or, for a "
      + "ready message, {\"id\":\"43\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\"],\"eml\":\"m.eml\"}; id, from "
      + "and a recipient are required, ids are unique, addresses are bare (a@x.test), relative paths are relative to "
      + "the input file's directory. A line that is not such a message is an INVALID outcome naming its line; the "
      + "job goes on."},
  footerHeading = "%n",
  footer = {"Exit status: 0 when every line was delivered to every recipient (in this run, or in an earlier one "
    + "with the same journal), 1 otherwise (a message not delivered, an invalid line, the input not read to its end, "
    + "the outcomes not written, or the job could not start), 2 for bad arguments.",
    OutcomeLine.FIELDS_HELP,
    Summary.JSON_FIELDS_HELP,
    BulkSummary.JSON_FIELDS_HELP})
final class BulkCommand implements Callable<Integer> {

  // Orders 10-29 and 60-69 are RelayOptions'.

  @Spec
  CommandSpec spec;

  @Mixin
  RelayOptions relay;

  @Mixin
  DkimSigningOptions dkim;

  @Option(names = "--input", order = 30, paramLabel = "FILE", required = true,
    description = "The messages, one JSON object per line (UTF-8); - for standard input.")
  String input;

  @Option(names = "--outcomes", order = 31, paramLabel = "FILE",
    description = "Write one JSON line per input line to FILE (replaced if it exists), as outcomes arrive.")
  Path outcomes;

  @Option(names = "--journal", order = 32, paramLabel = "FILE",
    description = "Record each message's start and outcome durably in FILE; run the job again with the same journal "
      + "after a crash and it sends nothing twice: ids that ended are SKIPPED, ids in flight at the crash UNKNOWN.")
  Path journal;

  @Option(names = "--resend-unknown", order = 33,
    description = "With --journal: send again the ids an earlier run left in flight or UNKNOWN (they may then be "
      + "delivered twice).")
  boolean resendUnknown;

  @Option(names = "--rate", order = 40, paramLabel = "MSGS_PER_SEC",
    description = "Send at most this many messages per second across all sessions, evenly spaced (default: no limit "
      + "but the relay's).")
  Double rate;

  @Option(names = "--concurrency", order = 41, paramLabel = "C", defaultValue = "1",
    description = "Messages in flight at once, and sessions opened at most (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--throttle-timeout", order = 42, paramLabel = "DURATION",
    converter = Converters.DurationConverter.class,
    description = "Give up on a message the relay keeps deferring (asking to slow down) for longer than DURATION "
      + "(default: 15m); it then ends FAILED.")
  Duration throttleTimeout;

  @Option(names = "--metrics-port", order = 43, paramLabel = "PORT",
    description = "Serve the client's meters in Prometheus text format on 127.0.0.1:PORT/metrics while the job runs.")
  Integer metricsPort;

  @Option(names = "--json", order = 70,
    description = "Print one JSON line with the summary, and nothing else, on stdout; no progress.")
  boolean json;

  @Option(names = "--no-progress", order = 71,
    description = "Do not show progress on stderr (default: a bar on a terminal, else a line every 2 s, with the "
      + "rate limit, sessions and deferred messages).")
  boolean noProgress;

  @Option(names = {"-v", "--verbose"}, order = 80, description = "Show stack traces of unexpected errors.")
  boolean verbose;

  @Option(names = {"-h", "--help"}, order = 81, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  /** {@code --input -}. */
  static final String STDIN = "-";

  private final Function<String, String> environment;
  private final Supplier<InputStream> stdin;

  BulkCommand(Function<String, String> environment, Supplier<InputStream> stdin) {
    this.environment = environment;
    this.stdin = stdin;
  }

  @Override
  public Integer call() throws Exception {
    checkArguments();
    SmtpClientOptions options = clientOptions();
    PrintWriter err = spec.commandLine().getErr();
    BulkJob.Settings settings = new BulkJob.Settings(outcomes, journal, resendUnknown, metricsPort, concurrency);
    BulkSummary summary;
    try (InputReader reader = openInput()) {
      summary = BulkJob.run(options, settings, reader, progress(err), err);
    }
    print(summary);
    return summary.allDelivered() ? 0 : 1;
  }

  SmtpClientOptions clientOptions() {
    SmtpClientOptions options = dkim.applyTo(relay.clientOptions(environment));
    if (rate != null) {
      options.setMaxRate(rate);
    }
    if (throttleTimeout != null) {
      options.setThrottleTimeout(throttleTimeout);
    }
    return options;
  }

  private ProgressDisplay progress(PrintWriter err) {
    if (noProgress || json) {
      return ProgressDisplay.none();
    }
    return ProgressDisplay.create(ProgressDisplay.Mode.AUTO, System.err, err);
  }

  // ------------------------------------------------------------------ arguments

  private void checkArguments() {
    relay.check();
    dkim.check();
    if (concurrency < 1) {
      throw usage("--concurrency must be at least 1, was " + concurrency);
    }
    if (rate != null && !(rate > 0 && rate < Double.POSITIVE_INFINITY)) {
      throw usage("--rate must be a number of messages per second above 0, was " + rate);
    }
    if (metricsPort != null && (metricsPort < 1 || metricsPort > 65535)) {
      throw usage("--metrics-port must be between 1 and 65535, was " + metricsPort);
    }
    if (resendUnknown && journal == null) {
      throw usage("--resend-unknown needs --journal: without one nothing is known from an earlier run");
    }
    if (!input.equals(STDIN) && !Files.isRegularFile(Path.of(input))) {
      throw usage("--input: no such file: " + input);
    }
    if (!input.equals(STDIN) && !Files.isReadable(Path.of(input))) {
      throw usage("--input: permission denied: " + input);
    }
    checkWritable("--outcomes", outcomes);
    checkWritable("--journal", journal);
    if (outcomes != null && journal != null && sameFile(outcomes, journal.toString())) {
      throw usage("--outcomes and --journal must be different files");
    }
  }

  /** The file may not exist yet, but its directory must, and it must not be the input it would overwrite. */
  private void checkWritable(String option, Path file) {
    if (file == null) {
      return;
    }
    Path directory = file.toAbsolutePath().getParent();
    if (directory == null || !Files.isDirectory(directory)) {
      throw usage(option + ": no such directory: " + directory);
    }
    if (Files.isDirectory(file)) {
      throw usage(option + ": is a directory: " + file);
    }
    if (!input.equals(STDIN) && sameFile(file, input)) {
      throw usage(option + " must not be the input file");
    }
  }

  private static boolean sameFile(Path file, String other) {
    Path a = file.toAbsolutePath().normalize();
    Path b = Path.of(other).toAbsolutePath().normalize();
    try {
      return a.equals(b) || Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  private InputReader openInput() throws IOException {
    if (input.equals(STDIN)) {
      return InputReader.of(stdin.get(), Path.of("").toAbsolutePath());
    }
    return InputReader.open(Path.of(input));
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  // ------------------------------------------------------------------ result

  private void print(BulkSummary summary) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(summary.toJsonLine());
    } else {
      out.print(summary.toText());
    }
    out.flush();
  }
}
