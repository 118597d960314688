package io.migo.smtp.cli;

import io.migo.smtp.testkit.ClosedPort;
import io.migo.smtp.testkit.ScriptedSmtpServer;
import io.migo.smtp.testkit.Step;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@code send} reports what went wrong: the library's whole message, input errors apart, its own timeout. */
class SendFailuresEndToEndTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  @Test
  void wrongPasswordPrintsTheLibrarysWholeMessage() {
    ScriptedSmtpServer server = new ScriptedSmtpServer(vertx).script(
      Step.greeting("220 scripted.test ESMTP"),
      Step.on("EHLO *").reply("250-scripted.test", "250 AUTH PLAIN"),
      Step.on("AUTH PLAIN *").reply("535 5.7.8 Error: authentication failed"));
    int port = server.start().await();
    try {
      CliRun run = CliRun.run("send", "--host", "127.0.0.1", "--port", String.valueOf(port), "--tls", "none",
        "--allow-plaintext-auth", "--user", "alice", "--password", "s3cret",
        "--from", "alice@example.com", "--to", "bob@example.com");

      assertThat(run.exitCode()).as("stderr: %s", run.err()).isEqualTo(1);
      assertThat(run.out()).contains("errors:\n  AUTH: the server refused the credentials with PLAIN: "
        + "Error: authentication failed [535 5.7.8]\n");
      assertThat(run.out() + run.err()).doesNotContain("s3cret");
    } finally {
      server.stop().await();
    }
  }

  @Test
  void aBadAddressIsInvalidNotRejected() {
    // Refused before anything is sent: if the client connects at all, it has nothing to say but EHLO and QUIT.
    ScriptedSmtpServer server = new ScriptedSmtpServer(vertx)
      .script(SmtpScripts.greeting(), SmtpScripts.ehlo(), SmtpScripts.quit());
    int port = server.start().await();
    try {
      CliRun run = CliRun.run("send", "--host", "127.0.0.1", "--port", String.valueOf(port),
        "--tls", "none", "--from", "sender@example.com", "--to", "bob", "--json");

      assertThat(run.exitCode()).as("stderr: %s", run.err()).isEqualTo(1);
      JsonObject json = new JsonObject(run.out().trim());
      assertThat(json.getInteger("invalid")).isEqualTo(1);
      assertThat(json.getInteger("rejected")).isZero();
      assertThat(json.getInteger("failed")).isZero();
      JsonObject error = json.getJsonArray("errors").getJsonObject(0);
      assertThat(error.getString("phase")).isEqualTo("INPUT");
      assertThat(error.getString("message")).contains("bob");
      assertThat(server.messages()).isEmpty();
      assertThat(server.transcript()).noneMatch(line -> line.startsWith("C: MAIL") || line.startsWith("C: RCPT"));
      assertThat(server.errors()).isEmpty();
    } finally {
      server.stop().await();
    }
  }

  /**
   * Twenty thousand messages that fail at once, before any network: each frees its place in the window and the next
   * is asked for from inside the outcome's handler. The run must loop through them (the CLI's message source and the
   * library's bulk send both), not nest one call deeper per message until the stack overflows; and one line in the
   * summary's errors counts them all.
   */
  @Test
  void manyMessagesThatFailAtOnceDoNotOverflowTheStack() throws Exception {
    CliRun run;
    try (ClosedPort closed = new ClosedPort()) {
      run = CliRun.run("send", "--host", "127.0.0.1", "--port", String.valueOf(closed.port()), "--tls", "none",
        "--from", "sender@example.com", "--to", "bob", "--count", "20000", "--concurrency", "2", "--json",
        "--no-progress");
    }

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isEqualTo(1);
    JsonObject json = new JsonObject(run.out().trim());
    assertThat(json.getInteger("invalid")).isEqualTo(20_000);
    assertThat(json.getJsonArray("errors")).singleElement()
      .satisfies(e -> assertThat(((JsonObject) e).getInteger("count")).isEqualTo(20_000));
  }

  /**
   * A listening socket that never accepts: the TCP handshake completes (the kernel's backlog), then nothing is ever
   * said. Only --timeout ends the wait for the greeting (the default is 5 minutes).
   */
  @Test
  void timeoutBoundsTheWaitForAGreeting() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      CliRun run = CliRun.run("send", "--host", "127.0.0.1", "--port", String.valueOf(silent.getLocalPort()),
        "--tls", "none", "--from", "sender@example.com", "--to", "rcpt@example.com", "--timeout", "300ms",
        "--json");

      assertThat(run.exitCode()).as("stderr: %s", run.err()).isEqualTo(1);
      JsonObject json = new JsonObject(run.out().trim());
      assertThat(json.getInteger("failed")).isEqualTo(1);
      JsonObject error = json.getJsonArray("errors").getJsonObject(0);
      assertThat(error.getString("phase")).isEqualTo("GREETING");
      assertThat(error.getString("detail")).contains("300");
    }
  }
}
