package io.migo.smtp.cli;

import io.migo.smtp.testkit.ClosedPort;
import io.migo.smtp.testkit.ScriptedSmtpServer;
import io.migo.smtp.testkit.Step;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.migo.smtp.cli.SmtpScripts.data;
import static io.migo.smtp.cli.SmtpScripts.ehlo;
import static io.migo.smtp.cli.SmtpScripts.greeting;
import static io.migo.smtp.cli.SmtpScripts.mailFrom;
import static io.migo.smtp.cli.SmtpScripts.oneMessage;
import static io.migo.smtp.cli.SmtpScripts.queued;
import static io.migo.smtp.cli.SmtpScripts.quit;
import static io.migo.smtp.cli.SmtpScripts.rcptTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code send} against core's {@link ScriptedSmtpServer}: the whole path from arguments to exit status, without TLS.
 * The server holds the client to the dialogue, so these tests also check what went over the wire.
 */
class SendEndToEndTest {

  private final Vertx vertx = Vertx.vertx();
  private final ScriptedSmtpServer server = new ScriptedSmtpServer(vertx);

  @AfterEach
  void stopServer() {
    server.stop().await();
    vertx.close().await();
  }

  @Test
  void oneMessageAsJson() {
    server.script(oneMessage("sender@example.com", "rcpt@example.com"));
    CliRun run = send("--from", "sender@example.com", "--to", "rcpt@example.com", "--subject", "e2e",
      "--text", "hello e2e", "--json");

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    assertThat(run.out()).endsWith("\n").hasLineCount(1);
    JsonObject json = new JsonObject(run.out().trim());
    assertThat(json.getInteger("messages")).isEqualTo(1);
    assertThat(json.getInteger("delivered")).isEqualTo(1);
    assertThat(json.getInteger("partially_delivered")).isZero();
    assertThat(json.getInteger("failed")).isZero();
    assertThat(json.getDouble("seconds")).isNotNegative();
    assertThat(json.getJsonArray("errors")).isEmpty();
    assertThat(server.messages()).singleElement().asString().contains("Subject: e2e", "hello e2e");
    assertThat(server.errors()).isEmpty();
  }

  @Test
  void manyMessagesWithConcurrency() {
    // Each of the up to four sessions sends messages until the run is over, then QUIT: how many a session sends
    // is not fixed, so the transaction loops and the QUIT at the end is the one line a loop cannot script.
    server.script(greeting(), ehlo())
      .loop(mailFrom("sender@example.com"), rcptTo("rcpt@example.com"), data(), queued("Q"));
    CliRun run = send("--from", "sender@example.com", "--to", "rcpt@example.com", "--count", "20",
      "--concurrency", "4", "--size", "5000", "--json");

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    JsonObject json = new JsonObject(run.out().trim());
    assertThat(json.getInteger("messages")).isEqualTo(20);
    assertThat(json.getInteger("delivered")).isEqualTo(20);
    assertThat(server.messages()).hasSize(20).allSatisfy(m -> assertThat(m.length()).isGreaterThan(5000));
    assertThat(server.connections()).isBetween(1, 4);
    assertThat(server.errors()).allSatisfy(e -> assertThat(e).endsWith("but got: QUIT"));
  }

  @Test
  void refusedRecipientIsPartialDeliveryAndExitOne() {
    server.script(greeting(), ehlo(), mailFrom("sender@example.com"), rcptTo("rcpt@example.com"),
      Step.on("RCPT TO:<reject@example.com>").reply("550 5.1.1 <reject@example.com>: Recipient address rejected"),
      data(), queued("Q1"), quit());
    CliRun run = send("--from", "sender@example.com", "--to", "rcpt@example.com", "--to", "reject@example.com",
      "--json");

    assertThat(run.exitCode()).isEqualTo(1);
    JsonObject json = new JsonObject(run.out().trim());
    assertThat(json.getInteger("delivered")).isZero();
    assertThat(json.getInteger("partially_delivered")).isEqualTo(1);
    JsonObject error = json.getJsonArray("errors").getJsonObject(0);
    assertThat(error.getString("phase")).isEqualTo("RCPT");
    assertThat(error.getInteger("code")).isEqualTo(550);
    assertThat(error.getString("enhanced")).isEqualTo("5.1.1");
    assertThat(error.getString("message")).isEqualTo("<reject@example.com>: Recipient address rejected");
    assertThat(error.getInteger("count")).isEqualTo(1);
    assertThat(server.errors()).isEmpty();
  }

  @Test
  void rawEmlFile(@TempDir Path dir) throws Exception {
    server.script(oneMessage("sender@example.com", "rcpt@example.com"));
    Path eml = Files.writeString(dir.resolve("m.eml"),
      "From: sender@example.com\nTo: rcpt@example.com\nSubject: raw\n\n.leading dot\nbody\n");
    CliRun run = send("--from", "sender@example.com", "--to", "rcpt@example.com", "--eml", eml.toString());

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    assertThat(run.out()).startsWith("sent 1/1 messages in ").contains(": 1 delivered\n")
      .contains("server response: ").contains("queued as Q1");
    assertThat(server.messages()).as("as on the wire: CRLF line ends, the leading dot stuffed").singleElement()
      .isEqualTo("From: sender@example.com\r\nTo: rcpt@example.com\r\nSubject: raw\r\n\r\n..leading dot\r\nbody\r\n");
    assertThat(server.errors()).isEmpty();
  }

  @Test
  void textReportForOneMessageShowsMessageId() {
    server.script(oneMessage("sender@example.com", "rcpt@example.com"));
    CliRun run = send("--from", "sender@example.com", "--to", "rcpt@example.com");

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    assertThat(run.out()).contains("1 delivered").contains("message-id: ");
    assertThat(server.messages()).singleElement().asString().contains(MessageFactory.DEFAULT_TEXT);
    assertThat(server.errors()).isEmpty();
  }

  @Test
  void nothingListeningIsAFailureWithExitOne() throws Exception {
    try (ClosedPort closed = new ClosedPort()) {
      CliRun run = CliRun.run("send", "--host", "127.0.0.1", "--port", String.valueOf(closed.port()), "--tls", "none",
        "--from", "sender@example.com", "--to", "rcpt@example.com", "--json");

      assertThat(run.exitCode()).isEqualTo(1);
      JsonObject json = new JsonObject(run.out().trim());
      assertThat(json.getInteger("failed")).isEqualTo(1);
      JsonObject error = json.getJsonArray("errors").getJsonObject(0);
      assertThat(error.getString("phase")).isEqualTo("CONNECT");
      assertThat(error.getInteger("code")).isEqualTo(-1);
      assertThat(error.getValue("enhanced")).isNull();
    }
  }

  private CliRun send(String... args) {
    int port = server.start().await();
    String[] all = new String[7 + args.length];
    System.arraycopy(new String[] {"send", "--host", "127.0.0.1", "--port", String.valueOf(port),
      "--tls", "none"}, 0, all, 0, 7);
    System.arraycopy(args, 0, all, 7, args.length);
    return CliRun.run(all);
  }
}
