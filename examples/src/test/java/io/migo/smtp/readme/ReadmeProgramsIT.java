package io.migo.smtp.readme;

import io.migo.smtp.readme.ReadmePrograms.Program;
import io.migo.smtp.testkit.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each complete program of the README, compiled as copied and run as its own JVM (as a reader runs it: environment
 * variables in, nothing else) against the real Postfix submission port, STARTTLS required, the test CA given as
 * {@code SMTP_CA} and the host name verified. It must exit by itself with status 0 (so it closed its client and its
 * Vert.x), and its messages must be in Postfix's Maildir.
 */
class ReadmeProgramsIT {

  /** A generous bound for a JVM start, a TLS handshake and two messages on a slow machine; only a hang reaches it. */
  private static final Duration RUN_LIMIT = Duration.ofMinutes(3);

  private static TestServers servers;

  @BeforeAll
  static void requireServers() {
    servers = TestServers.require();
  }

  static List<Program> programs() throws Exception {
    return ReadmePrograms.programs();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("programs")
  void runsAsCopiedAndItsMessagesArrive(Program program, @TempDir Path dir) throws Exception {
    Path classes = dir.resolve("classes");
    ReadmePrograms.compile(program, classes);
    String recipient = "readme-" + UUID.randomUUID() + "@example.test";
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");

    ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-cp",
      classes + File.pathSeparator + ReadmePrograms.testClassPath(), program.className())
      .redirectOutput(out.toFile())
      .redirectError(err.toFile());
    builder.environment().putAll(Map.of(
      "SMTP_HOST", servers.get("hostname"),
      "SMTP_PORT", servers.get("postfix.submission.port"),
      "SMTP_USER", servers.user(),
      "SMTP_PASSWORD", servers.password(),
      "SMTP_CA", servers.get("ca.pem"),
      "MAIL_TO", recipient));
    Process process = builder.start();
    boolean exited = process.waitFor(RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    if (!exited) {
      process.destroyForcibly().waitFor();
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);

    assertThat(exited).as("%s exits by itself (stdout: %s, stderr: %s)", program, stdout, stderr).isTrue();
    assertThat(process.exitValue()).as("exit status (stdout: %s, stderr: %s)", stdout, stderr).isZero();
    assertThat(stderr).as("stderr").doesNotContain("Exception");
    long accepted = stdout.lines().filter(line -> line.startsWith("accepted")).count();
    assertThat(accepted).as("messages the program saw accepted (stdout: %s)", stdout).isPositive();
    assertThat(awaitDelivered(Path.of(servers.get("postfix.maildir")), recipient, accepted)).hasSize((int) accepted)
      .allSatisfy(message -> assertThat(message).contains("Subject: Hello"));
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Postfix writes each message to the Maildir after its 250 reply: poll until all {@code expected} messages for
   * {@code recipient} are there (or 30 s pass: a delivery is a local file write, only a lost message takes that long).
   */
  static List<String> awaitDelivered(Path maildir, String recipient, long expected)
    throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<String> found = List.of();
    while (System.nanoTime() < deadline) {
      found = delivered(maildir, recipient);
      if (found.size() >= expected) {
        return found;
      }
      Thread.sleep(50);
    }
    return found;
  }

  private static List<String> delivered(Path maildir, String recipient) throws IOException {
    if (!Files.isDirectory(maildir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(maildir)) {
      return files.filter(Files::isRegularFile).map(ReadmeProgramsIT::read)
        .filter(m -> m.contains("X-Original-To: " + recipient + "\n")).toList();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
