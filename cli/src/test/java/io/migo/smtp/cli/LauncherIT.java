package io.migo.smtp.cli;

import io.migo.smtp.testkit.Maildir;
import io.migo.smtp.testkit.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cli/bin/migo-smtp}, the way the README starts the command: it finds the jar and the class-data-sharing
 * archive the build made, sends through the real Postfix, and the JVM really maps that archive (a launcher whose
 * archive is silently ignored would still "work", only slowly).
 */
class LauncherIT {

  private static final Path LAUNCHER = Path.of("bin", "migo-smtp").toAbsolutePath();
  private static final Path ARCHIVE = Path.of("target", "migo-smtp.jsa").toAbsolutePath();

  private static TestServers servers;

  @BeforeAll
  static void servers() {
    servers = TestServers.require();
  }

  @Test
  void theLauncherSendsThroughPostfixWithTheBuildsClassArchive() throws Exception {
    assertThat(ARCHIVE).as("made by `mvn package`").isRegularFile();
    String marker = "launcher-" + UUID.randomUUID();
    Run run = launch(Map.of("MIGO_SMTP_JAVA_OPTS", "-Xlog:class+load=info"), "send",
      "--host", servers.get("hostname"), "--port", servers.get("postfix.submission.port"),
      "--ca-cert", servers.get("ca.pem"), "--user", servers.user(), "--password", servers.password(),
      "--from", servers.user(), "--to", "launcher@example.test", "--subject", marker, "--text", "via cli/bin");

    assertThat(run.exit).as(run.output).isZero();
    assertThat(run.output).as("classes come from the archive").contains("source: shared objects file (top)");
    assertThat(Maildir.postfix(servers).awaitOne(marker)).contains("via cli/bin");
  }

  @Test
  void optionsAfterTheLaunchersOwnWinAndTheExitStatusIsTheCommands() throws Exception {
    Run version = launch(Map.of("MIGO_SMTP_JAVA_OPTS", "-XX:TieredStopAtLevel=4"), "-V");
    assertThat(version.exit).isZero();
    assertThat(version.output).startsWith("migo-smtp ");

    Run bad = launch(Map.of(), "send", "--no-such-option");
    assertThat(bad.exit).as("picocli's status for bad arguments, passed through").isEqualTo(2);
  }

  private static Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(process.waitFor(), output);
  }

  private record Run(int exit, String output) {
  }
}
