package io.migo.smtp.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code worker}'s arguments: bad ones end with exit status 2 before the worker joins any cluster. */
class WorkerCommandArgumentsTest {

  @Test
  void aPoolOfNoSessions() {
    assertUsageError(CliRun.run("worker", "--host", "127.0.0.1", "--port", "1", "--pool-size", "0"),
      "--pool-size must be at least 1");
  }

  @Test
  void aClusterMemberWithoutAPort() {
    assertUsageError(CliRun.run("worker", "--host", "127.0.0.1", "--port", "1", "--cluster-members", "127.0.0.1:"),
      "HOST:PORT");
  }

  @Test
  void aUserWithoutAPassword() {
    assertUsageError(CliRun.run("worker", "--host", "127.0.0.1", "--user", "alice"), "--user needs");
  }

  @Test
  void helpNamesTheClusterOptions() {
    CliRun run = CliRun.run("worker", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--cluster-host", "--cluster-port", "--cluster-members", "--pool-size", "--ca-cert");
  }

  private static void assertUsageError(CliRun run, String fragment) {
    assertThat(run.exitCode()).as("exit status; stderr: %s", run.err()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: ").contains(fragment).doesNotContain("\tat ");
    assertThat(run.out()).isEmpty();
  }
}
