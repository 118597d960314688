package io.migo.smtp.cli;

import io.migo.smtp.Envelope;
import io.migo.smtp.JournalEntry;
import io.migo.smtp.Mail;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bulk}'s arguments: bad ones end with exit status 2 before any connection (every case points at port 1,
 * where nothing listens, so a connection attempt would show as exit status 1 and a summary); the relay's options
 * are send's; the seams not in this build fail before anything is sent.
 */
class BulkCommandArgumentsTest {

  private static final String[] TARGET = {"--host", "127.0.0.1", "--port", "1", "--tls", "none"};

  @TempDir
  Path dir;

  private Path input() throws IOException {
    return Files.writeString(dir.resolve("in.jsonl"), "{\"id\":\"1\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\"]}\n");
  }

  @Test
  void missingInput() {
    assertUsageError(bulk(), "Missing required option: '--input=FILE'");
  }

  @Test
  void inputThatDoesNotExist() {
    assertUsageError(bulk("--input", dir.resolve("nope.jsonl").toString()), "--input: no such file: ");
  }

  @Test
  void aClusterMemberThatIsNotHostAndPort() throws IOException {
    assertUsageError(bulk("--input", input().toString(), "--cluster", "--cluster-members", "127.0.0.1"),
      "--cluster-members", "HOST:PORT");
  }

  @Test
  void resendUnknownNeedsAJournal() throws IOException {
    assertUsageError(bulk("--input", input().toString(), "--resend-unknown"), "--resend-unknown needs --journal");
  }

  @Test
  void rateMustBePositive() throws IOException {
    assertUsageError(bulk("--input", input().toString(), "--rate", "0"), "--rate must be a number");
    assertUsageError(bulk("--input", input().toString(), "--rate", "-3"), "--rate must be a number");
    assertUsageError(bulk("--input", input().toString(), "--rate", "fast"), "Invalid value for option '--rate'");
  }

  @Test
  void zeroConcurrency() throws IOException {
    assertUsageError(bulk("--input", input().toString(), "--concurrency", "0"), "--concurrency must be at least 1");
  }

  @Test
  void throttleTimeoutIsADuration() throws IOException {
    assertUsageError(bulk("--input", input().toString(), "--throttle-timeout", "30"),
      "Invalid value for option '--throttle-timeout'", "expected a duration such as 500ms");
  }

  @Test
  void metricsPortOutOfRange() throws IOException {
    assertUsageError(bulk("--input", input().toString(), "--metrics-port", "70000"),
      "--metrics-port must be between 1 and 65535");
  }

  @Test
  void outcomesInADirectoryThatDoesNotExist() throws IOException {
    assertUsageError(bulk("--input", input().toString(), "--outcomes", dir.resolve("no/such/out.jsonl").toString()),
      "--outcomes: no such directory: ");
  }

  @Test
  void outcomesMustNotOverwriteTheInput() throws IOException {
    Path input = input();
    assertUsageError(bulk("--input", input.toString(), "--outcomes", input.toString()),
      "--outcomes must not be the input file");
    assertThat(Files.readString(input)).as("the input is untouched").contains("\"id\":\"1\"");
  }

  @Test
  void theRelaysOptionsAreChecked() throws IOException {
    assertUsageError(bulk("--input", input().toString(), "--user", "u"),
      "--user needs --password, --password-env or --oauth-token-env");
    assertUsageError(bulk("--input", input().toString(), "--trust-all", "--ca-cert", "ca.pem"),
      "are mutually exclusive");
  }

  @Test
  void rateThrottleTimeoutAndRelayGoToTheClientOptions() throws IOException {
    BulkCommand command = new BulkCommand(name -> name.equals("PW") ? "secret" : null, InputStream::nullInputStream);
    new CommandLine(command).parseArgs("--input", input().toString(), "--host", "relay.test", "--port", "2525",
      "--user", "u", "--password-env", "PW", "--rate", "12.5", "--throttle-timeout", "2m", "--timeout", "5s");

    SmtpClientOptions options = command.clientOptions();

    assertThat(options.getHost()).isEqualTo("relay.test");
    assertThat(options.getPort()).isEqualTo(2525);
    assertThat(options.getMaxRate()).isEqualTo(12.5);
    assertThat(options.getThrottleTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(options.getCommandTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  /** A journal file that is not a journal stops the job before anything is sent, and is left as it was. */
  @Test
  void aFileThatIsNotAJournalStopsTheJobBeforeAnythingIsSent() throws IOException {
    Path notAJournal = dir.resolve("notes.txt");
    Files.writeString(notAJournal, "my notes, not a journal\n");
    CliRun run = bulk("--input", input().toString(), "--journal", notAJournal.toString(), "--json");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("error: ").contains("notes.txt");
    assertThat(run.out()).isEmpty();
    assertThat(Files.readString(notAJournal)).isEqualTo("my notes, not a journal\n");
  }

  /** A metrics port that cannot be listened on stops the job before anything is sent, naming the option. */
  @Test
  void aMetricsPortInUseStopsTheJobBeforeAnythingIsSent() throws IOException {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      CliRun run = bulk("--input", input().toString(), "--metrics-port", String.valueOf(taken.getLocalPort()),
        "--json");

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).contains("--metrics-port " + taken.getLocalPort());
      assertThat(run.out()).isEmpty();
    }
  }

  @Test
  void helpGoesToStdoutWithStatusZero() {
    CliRun run = CliRun.run("bulk", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("Usage: migo-smtp bulk").contains("--input=FILE", "--outcomes=FILE",
      "--journal=FILE", "--resend-unknown", "--rate=MSGS_PER_SEC", "--concurrency=C", "--throttle-timeout=DURATION",
      "--metrics-port=PORT", "--json", "--no-progress", "--tls=MODE", "--password-env=VAR", "--timeout=DURATION",
      "Exit status: 0");
    assertThat(run.err()).isEmpty();
  }

  /** Every field of the summary line and of an outcome line, taken from real ones, is named in the help. */
  @Test
  void helpNamesEveryField() {
    Mail mail = Mail.raw(Envelope.of("a@x.test", "b@y.test"), Buffer.buffer("x"));
    BulkSummary summary = new BulkSummary();
    summary.record(SendOutcome.failed(mail, new SmtpException(SmtpPhase.MAIL, Reason.REPLY, "sender refused", 550,
      "5.7.1", List.of("5.7.1 no"), null)));
    JsonObject json = new JsonObject(summary.toJsonLine());
    Set<String> fields = new TreeSet<>(json.fieldNames());
    fields.addAll(json.getJsonArray("errors").getJsonObject(0).fieldNames());
    fields.addAll(OutcomeLine.invalid(new InputParser.Invalid(1, null, "no id")).fieldNames());
    fields.addAll(OutcomeLine.of(SendOutcome.skipped(mail, new JournalEntry("1", Status.DELIVERED, 250, null, null)))
      .fieldNames());
    fields.addAll(OutcomeLine.of(SendOutcome.delivered(mail, new io.migo.smtp.SendResult(null, "2.0.0 Ok",
      List.of("b@y.test"), List.of(new io.migo.smtp.RecipientRejection("c@y.test", 550, "5.1.1", "no")))))
      .getJsonArray("rejected").getJsonObject(0).fieldNames());

    String help = CliRun.run("bulk", "--help").out().replaceAll("\\s+", " ");

    assertThat(fields).hasSizeGreaterThan(20).allSatisfy(field ->
      assertThat(help).as("bulk --help names %s", field).containsPattern("\\b" + field + "\\b"));
  }

  private static CliRun bulk(String... args) {
    String[] all = new String[1 + TARGET.length + args.length];
    all[0] = "bulk";
    System.arraycopy(TARGET, 0, all, 1, TARGET.length);
    System.arraycopy(args, 0, all, 1 + TARGET.length, args.length);
    return CliRun.run(all);
  }

  private static void assertUsageError(CliRun run, String... fragments) {
    assertThat(run.exitCode()).as("exit status; stderr: %s", run.err()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: ").contains(fragments).contains("--help' for more information");
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(run.out()).isEmpty();
  }
}
