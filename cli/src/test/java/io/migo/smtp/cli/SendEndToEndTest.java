package io.migo.smtp.cli;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code send} against {@link TinySmtpServer}: the whole path from arguments to exit status, without TLS. */
class SendEndToEndTest {

  private TinySmtpServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = TinySmtpServer.start();
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
  }

  @Test
  void oneMessageAsJson() {
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
  }

  @Test
  void manyMessagesWithConcurrency() {
    CliRun run = send("--from", "sender@example.com", "--to", "rcpt@example.com", "--count", "20",
      "--concurrency", "4", "--size", "5000", "--json");

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    JsonObject json = new JsonObject(run.out().trim());
    assertThat(json.getInteger("messages")).isEqualTo(20);
    assertThat(json.getInteger("delivered")).isEqualTo(20);
    assertThat(server.messages()).hasSize(20).allSatisfy(m -> assertThat(m.length()).isGreaterThan(5000));
  }

  @Test
  void refusedRecipientIsPartialDeliveryAndExitOne() {
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
  }

  @Test
  void rawEmlFile(@TempDir Path dir) throws Exception {
    Path eml = Files.writeString(dir.resolve("m.eml"),
      "From: sender@example.com\nTo: rcpt@example.com\nSubject: raw\n\n.leading dot\nbody\n");
    CliRun run = send("--from", "sender@example.com", "--to", "rcpt@example.com", "--eml", eml.toString());

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    assertThat(run.out()).startsWith("sent 1/1 messages in ").contains(": 1 delivered\n")
      .contains("server response: ").contains("queued as Q1");
    assertThat(server.messages()).singleElement().asString()
      .isEqualTo("From: sender@example.com\nTo: rcpt@example.com\nSubject: raw\n\n.leading dot\nbody\n");
  }

  @Test
  void textReportForOneMessageShowsMessageId() {
    CliRun run = send("--from", "sender@example.com", "--to", "rcpt@example.com");

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    assertThat(run.out()).contains("1 delivered").contains("message-id: ");
    assertThat(server.messages()).singleElement().asString().contains(MessageFactory.DEFAULT_TEXT);
  }

  @Test
  void nothingListeningIsAFailureWithExitOne() throws Exception {
    int port = server.port();
    server.close();
    CliRun run = CliRun.run("send", "--host", "127.0.0.1", "--port", String.valueOf(port), "--tls", "none",
      "--from", "sender@example.com", "--to", "rcpt@example.com", "--json");

    assertThat(run.exitCode()).isEqualTo(1);
    JsonObject json = new JsonObject(run.out().trim());
    assertThat(json.getInteger("failed")).isEqualTo(1);
    JsonObject error = json.getJsonArray("errors").getJsonObject(0);
    assertThat(error.getString("phase")).isEqualTo("CONNECT");
    assertThat(error.getInteger("code")).isEqualTo(-1);
    assertThat(error.getValue("enhanced")).isNull();
  }

  private CliRun send(String... args) {
    String[] all = new String[7 + args.length];
    System.arraycopy(new String[] {"send", "--host", "127.0.0.1", "--port", String.valueOf(server.port()),
      "--tls", "none"}, 0, all, 0, 7);
    System.arraycopy(args, 0, all, 7, args.length);
    return CliRun.run(all);
  }
}
