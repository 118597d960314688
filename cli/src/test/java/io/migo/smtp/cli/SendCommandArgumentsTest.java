package io.migo.smtp.cli;

import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad arguments end with exit status 2 and a message that names the problem, before any connection is opened
 * (every case here points at port 1, where nothing listens, so a connection attempt would show as exit status 1).
 */
class SendCommandArgumentsTest {

  private static final String[] TARGET = {"--host", "127.0.0.1", "--port", "1", "--tls", "none"};

  @Test
  void missingFrom() {
    CliRun run = send("--to", "rcpt@example.com");
    assertUsageError(run, "Missing required option: '--from=ADDR'");
  }

  @Test
  void missingTo() {
    CliRun run = send("--from", "sender@example.com");
    assertUsageError(run, "Missing required option: '--to=ADDR'");
  }

  @Test
  void passwordAndPasswordEnvTogether() {
    CliRun run = send(Map.of("SMTP_PASSWORD", "secret"), "--from", "a@example.com", "--to", "b@example.com",
      "--user", "u", "--password", "hunter2", "--password-env", "SMTP_PASSWORD");
    assertUsageError(run, "--password=PASSWORD, --password-env=VAR are mutually exclusive");
    assertThat(run.err()).doesNotContain("hunter2").doesNotContain("secret");
  }

  @Test
  void emlWithSize(@TempDir Path dir) throws IOException {
    Path eml = Files.writeString(dir.resolve("m.eml"), "Subject: x\n\nbody\n");
    CliRun run = send("--from", "a@example.com", "--to", "b@example.com", "--eml", eml.toString(), "--size", "1000");
    assertUsageError(run, "--size pads a text body and cannot be combined with --eml");
  }

  @Test
  void unknownTlsMode() {
    CliRun run = CliRun.run("send", "--from", "a@example.com", "--to", "b@example.com", "--tls", "ssl");
    assertUsageError(run, "Invalid value for option '--tls'",
      "expected one of none, starttls, starttls-optional, implicit but was 'ssl'");
  }

  @Test
  void unknownAuthMechanism() {
    CliRun run = send("--from", "a@example.com", "--to", "b@example.com", "--auth", "DIGEST-MD5");
    assertUsageError(run, "Invalid value for option '--auth'",
      "PLAIN, LOGIN, CRAM-MD5, XOAUTH2, SCRAM-SHA-256, SCRAM-SHA-1, OAUTHBEARER");
  }

  @Test
  void caCertAndTrustAllTogether() {
    CliRun run = send("--from", "a@example.com", "--to", "b@example.com", "--trust-all", "--ca-cert", "ca.pem");
    assertUsageError(run, "are mutually exclusive");
  }

  @Test
  void passwordEnvNotSet() {
    CliRun run = send("--from", "a@example.com", "--to", "b@example.com", "--user", "u", "--password-env", "NOPE");
    assertUsageError(run, "--password-env: environment variable NOPE is not set");
  }

  @Test
  void passwordEnvEmpty() {
    CliRun run = send(Map.of("EMPTY", ""), "--from", "a@example.com", "--to", "b@example.com", "--user", "u",
      "--password-env", "EMPTY");
    assertUsageError(run, "--password-env: environment variable EMPTY is empty");
  }

  @Test
  void oauthTokenNeedsUser() {
    CliRun run = send(Map.of("TOKEN", "ya29.token"), "--from", "a@example.com", "--to", "b@example.com",
      "--oauth-token-env", "TOKEN");
    assertUsageError(run, "need --user");
    assertThat(run.err()).doesNotContain("ya29");
  }

  @Test
  void oauthTokenWithAnotherMechanism() {
    CliRun run = send(Map.of("TOKEN", "ya29.token"), "--from", "a@example.com", "--to", "b@example.com",
      "--user", "u", "--oauth-token-env", "TOKEN", "--auth", "PLAIN");
    assertUsageError(run, "cannot be combined with --auth PLAIN");
  }

  @Test
  void passwordWithATokenMechanism() {
    CliRun run = send("--from", "a@example.com", "--to", "b@example.com", "--user", "u", "--password", "hunter2",
      "--auth", "OAUTHBEARER");
    assertUsageError(run, "--auth OAUTHBEARER takes an OAuth 2.0 access token", "--oauth-token-env");
    assertThat(run.err()).doesNotContain("hunter2");
  }

  @Test
  void userWithoutSecret() {
    CliRun run = send("--from", "a@example.com", "--to", "b@example.com", "--user", "u");
    assertUsageError(run, "--user needs --password, --password-env or --oauth-token-env");
  }

  @Test
  void textAndEmlTogether() {
    CliRun run = send("--from", "a@example.com", "--to", "b@example.com", "--text", "hi", "--eml", "m.eml");
    assertUsageError(run, "are mutually exclusive");
  }

  @Test
  void zeroConcurrency() {
    CliRun run = send("--from", "a@example.com", "--to", "b@example.com", "--concurrency", "0");
    assertUsageError(run, "--concurrency must be at least 1");
  }

  @Test
  void portOutOfRange() {
    CliRun run = CliRun.run("send", "--from", "a@example.com", "--to", "b@example.com", "--port", "70000");
    assertUsageError(run, "--port must be between 1 and 65535");
  }

  @Test
  void missingEmlFile(@TempDir Path dir) {
    CliRun run = send("--from", "a@example.com", "--to", "b@example.com", "--eml", dir.resolve("nope.eml").toString());
    assertUsageError(run, "--eml: no such file: ");
  }

  @Test
  void timeoutWithoutUnit() {
    CliRun run = send("--from", "a@example.com", "--to", "b@example.com", "--timeout", "30");
    assertUsageError(run, "Invalid value for option '--timeout'",
      "expected a duration such as 500ms, 30s, 2m or 1h but was '30'");
  }

  @Test
  void zeroTimeout() {
    CliRun run = send("--from", "a@example.com", "--to", "b@example.com", "--timeout", "0s");
    assertUsageError(run, "Invalid value for option '--timeout'", "must be longer than zero");
  }

  @Test
  void noSubcommand() {
    CliRun run = CliRun.run();
    assertUsageError(run, "Missing required subcommand");
  }

  @Test
  void helpGoesToStdoutWithStatusZero() {
    CliRun run = CliRun.run("send", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("Usage: migo-smtp send").contains("--tls=MODE", "--oauth-token-env=VAR",
      "--timeout=DURATION");
    assertThat(run.err()).isEmpty();
  }

  /** Every field that {@code --json} can print, taken from a real line with an error in it, is named in the help. */
  @Test
  void helpNamesEveryJsonField() {
    Summary summary = new Summary(1);
    summary.recordFailure(new SmtpException(SmtpPhase.MAIL, Reason.REPLY, "sender refused", 550, "5.7.1",
      List.of("5.7.1 no"), null));
    JsonObject json = new JsonObject(summary.toJsonLine());
    Set<String> fields = new TreeSet<>(json.fieldNames());
    fields.addAll(json.getJsonArray("errors").getJsonObject(0).fieldNames());

    String help = CliRun.run("send", "--help").out().replaceAll("\\s+", " ");

    assertThat(fields).hasSizeGreaterThan(10).allSatisfy(field ->
      assertThat(help).as("send --help names %s", field).containsPattern("\\b" + field + "\\b"));
  }

  private static CliRun send(String... args) {
    return send(Map.of(), args);
  }

  private static CliRun send(Map<String, String> environment, String... args) {
    String[] all = new String[1 + TARGET.length + args.length];
    all[0] = "send";
    System.arraycopy(TARGET, 0, all, 1, TARGET.length);
    System.arraycopy(args, 0, all, 1 + TARGET.length, args.length);
    return CliRun.run(environment, all);
  }

  private static void assertUsageError(CliRun run, String... fragments) {
    assertThat(run.exitCode()).as("exit status; stderr: %s", run.err()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: ").contains(fragments).contains("--help' for more information");
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(run.out()).isEmpty();
  }
}
