package io.migo.smtp.cli;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code demo}: embedded server, pool, STARTTLS, AUTH, and the received-count check, end to end. */
class DemoCommandTest {

  @Test
  void sendsTheBatchAndTheServerReceivesEveryMessage() {
    CliRun run = CliRun.run("demo", "--count", "200");

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    assertThat(run.out())
      .contains("sent 200/200 messages", "200 delivered")
      .contains("server received 200 messages")
      .containsPattern("throughput: \\d+ msgs/s");
    assertThat(run.err()).contains("embedded SMTP server on localhost:", "STARTTLS and AUTH required");
  }

  @Test
  void jsonIsOneLineOnStdout() {
    CliRun run = CliRun.run("demo", "--count", "20", "--concurrency", "2", "--json");

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    assertThat(run.out()).endsWith("\n").hasLineCount(1);
    JsonObject json = new JsonObject(run.out().trim());
    assertThat(json.getInteger("messages")).isEqualTo(20);
    assertThat(json.getInteger("delivered")).isEqualTo(20);
    assertThat(json.getLong("server_received")).isEqualTo(20);
    assertThat(json.getJsonArray("errors")).isEmpty();
  }

  @Test
  void rejectsABadCount() {
    CliRun run = CliRun.run("demo", "--count", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--count must be at least 1");
  }
}
