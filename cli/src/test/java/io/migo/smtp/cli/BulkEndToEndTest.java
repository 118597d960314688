package io.migo.smtp.cli;

import io.migo.smtp.testkit.RelayRules;
import io.migo.smtp.testkit.ScriptedSmtpServer;
import io.migo.smtp.testkit.Step;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bulk} against core's {@link ScriptedSmtpServer} played as a plain relay ({@link RelayRules}: recipients
 * starting with "reject" are refused): from the input file to the outcomes file, the summary and the exit status.
 */
class BulkEndToEndTest {

  private final Vertx vertx = Vertx.vertx();
  private final ScriptedSmtpServer server = new ScriptedSmtpServer(vertx);

  @TempDir
  Path dir;

  @AfterEach
  void stopServer() {
    server.stop().await();
    vertx.close().await();
  }

  @Test
  void everyLineHasItsOutcome() throws IOException {
    RelayRules.install(server);
    Files.createDirectories(dir.resolve("files"));
    Files.writeString(dir.resolve("files/note.txt"), "attached note");
    Files.writeString(dir.resolve("ready.eml"), "From: a@x.test\nTo: b@y.test\nSubject: ready-made\n\nraw body\n");
    Path input = Files.write(dir.resolve("in.jsonl"), List.of(
      "{\"id\":\"m1\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\"],\"subject\":\"first\",\"text\":\"hello\","
        + "\"headers\":{\"X-Campaign\":\"c1\"},"
        + "\"attachments\":[{\"path\":\"files/note.txt\",\"contentType\":\"text/plain\"}]}",
      "{\"id\":\"m2\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\"],\"eml\":\"ready.eml\"}",
      "this is not json",
      "{\"id\":\"m4\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\",\"reject-me@y.test\"],\"subject\":\"partial\"}",
      "{\"id\":\"m5\",\"from\":\"a@x.test\",\"to\":[\"reject-all@y.test\"],\"subject\":\"refused\"}",
      "{\"id\":\"m1\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\"]}",
      "{\"id\":\"m7\",\"from\":\"a@x.test\",\"to\":[\"bob\"]}"));
    Path outcomes = dir.resolve("outcomes.jsonl");

    CliRun run = bulk("--input", input.toString(), "--outcomes", outcomes.toString(), "--concurrency", "2",
      "--json");

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isEqualTo(1);
    assertThat(run.out()).hasLineCount(1);
    JsonObject summary = new JsonObject(run.out().trim());
    assertThat(summary.getInteger("messages")).isEqualTo(7);
    assertThat(summary.getInteger("delivered")).isEqualTo(2);
    assertThat(summary.getInteger("partially_delivered")).isEqualTo(1);
    assertThat(summary.getInteger("rejected")).isEqualTo(1);
    assertThat(summary.getInteger("invalid")).isEqualTo(3);
    assertThat(summary.getInteger("failed")).isZero();
    assertThat(summary.getInteger("unknown")).isZero();
    assertThat(summary.getInteger("skipped")).isZero();
    assertThat(summary.getInteger("throttled")).isZero();
    assertThat(summary.getInteger("deferred")).isZero();

    List<JsonObject> lines = Files.readAllLines(outcomes).stream().map(JsonObject::new).toList();
    assertThat(lines).as("one line per input line").hasSize(7);
    Map<String, JsonObject> sent = lines.stream().filter(l -> !l.getString("status").equals("INVALID"))
      .collect(Collectors.toMap(l -> l.getString("id"), l -> l));
    assertThat(sent.get("m1").getString("status")).isEqualTo("DELIVERED");
    assertThat(sent.get("m1").getInteger("code")).isEqualTo(250);
    assertThat(sent.get("m1").getString("enhanced")).isEqualTo("2.0.0");
    assertThat(sent.get("m1").getString("response")).startsWith("Ok: queued as Q");
    assertThat(sent.get("m1").getInteger("attempts")).isEqualTo(1);
    assertThat(sent.get("m2").getString("status")).isEqualTo("DELIVERED");
    assertThat(sent.get("m4").getString("status")).isEqualTo("PARTIALLY_DELIVERED");
    assertThat(sent.get("m4").getJsonArray("rejected")).singleElement()
      .satisfies(r -> assertThat(((JsonObject) r).getString("address")).isEqualTo("reject-me@y.test"));
    assertThat(sent.get("m5").getString("status")).isEqualTo("REJECTED");
    assertThat(sent.get("m5").getInteger("code")).isEqualTo(550);
    Map<Long, JsonObject> invalid = lines.stream().filter(l -> l.getString("status").equals("INVALID"))
      .collect(Collectors.toMap(l -> l.getLong("line"), l -> l));
    assertThat(invalid).containsOnlyKeys(3L, 6L, 7L);
    assertThat(invalid.get(3L).getString("reason")).startsWith("not a JSON object");
    assertThat(invalid.get(6L).getString("id")).isEqualTo("m1");
    assertThat(invalid.get(6L).getString("reason")).isEqualTo("id m1 was already used on line 1");
    assertThat(invalid.get(7L).getString("reason")).contains("bob");

    String base64Note = Base64.getEncoder().encodeToString("attached note".getBytes(StandardCharsets.UTF_8));
    assertThat(server.storedMessages()).hasSize(3)
      .anySatisfy(m -> assertThat(m).contains("Subject: first", "X-Campaign: c1", "hello", base64Note,
        "text/plain"))
      .anySatisfy(m -> assertThat(m).isEqualTo("From: a@x.test\nTo: b@y.test\nSubject: ready-made\n\nraw body\n"))
      .anySatisfy(m -> assertThat(m).contains("Subject: partial"));
    assertThat(server.errors()).isEmpty();
  }

  @Test
  void standardInputAllDeliveredExitsZero() {
    RelayRules.install(server);
    StringBuilder lines = new StringBuilder();
    for (int i = 1; i <= 30; i++) {
      lines.append("{\"id\":\"").append(i).append("\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\"],\"subject\":\"n")
        .append(i).append("\",\"text\":\"body ").append(i).append("\"}\n");
    }
    InputStream stdin = new ByteArrayInputStream(lines.toString().getBytes(StandardCharsets.UTF_8));

    CliRun run = bulkWithStdin(stdin, "--input", "-", "--concurrency", "4", "--json");

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    JsonObject summary = new JsonObject(run.out().trim());
    assertThat(summary.getInteger("messages")).isEqualTo(30);
    assertThat(summary.getInteger("delivered")).isEqualTo(30);
    assertThat(server.storedMessages()).hasSize(30);
    for (int i = 1; i <= 30; i++) {
      String subject = "Subject: n" + i + "\n";
      assertThat(server.storedMessages()).as("message %d, once", i).filteredOn(m -> m.contains(subject)).hasSize(1);
    }
    assertThat(server.connections()).isBetween(1, 4);
  }

  @Test
  void aThrottledMessageIsDeferredThenDelivered() throws IOException {
    AtomicInteger mails = new AtomicInteger();
    server.script(Step.greeting("220 relay.test ESMTP"))
      .answer(
        Step.on("EHLO *").reply("250-relay.test", "250 ENHANCEDSTATUSCODES"),
        Step.on("MAIL FROM:*").answer(line -> mails.incrementAndGet() == 1
          ? "450 4.7.1 Error: too much mail from 127.0.0.1" : "250 2.1.0 Ok"),
        Step.on("RCPT TO:*").reply("250 2.1.5 Ok"),
        Step.on("DATA").reply("354 End data with <CR><LF>.<CR><LF>"),
        Step.onData().reply("250 2.0.0 Ok: queued as T1"),
        Step.on("RSET").reply("250 2.0.0 Ok"),
        Step.on("QUIT").reply("221 2.0.0 Bye").thenClose());
    Path input = Files.write(dir.resolve("in.jsonl"),
      List.of("{\"id\":\"t1\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\"],\"text\":\"slow down\"}"));
    Path outcomes = dir.resolve("out.jsonl");

    // A maximum rate, so that the slower rate after the refusal still comes round soon.
    CliRun run = bulk("--input", input.toString(), "--outcomes", outcomes.toString(), "--rate", "100",
      "--throttle-timeout", "5m", "--json");

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    JsonObject summary = new JsonObject(run.out().trim());
    assertThat(summary.getInteger("delivered")).isEqualTo(1);
    assertThat(summary.getInteger("throttled")).isEqualTo(1);
    assertThat(summary.getInteger("deferred")).isEqualTo(1);
    JsonObject line = new JsonObject(Files.readString(outcomes).trim());
    assertThat(line.getString("status")).isEqualTo("DELIVERED");
    assertThat(line.getInteger("deferrals")).isEqualTo(1);
    assertThat(line.getInteger("attempts")).as("a deferral is not an attempt").isEqualTo(1);
    assertThat(server.storedMessages()).singleElement().asString().contains("slow down");
  }

  @Test
  void textSummaryWithoutJson() throws IOException {
    RelayRules.install(server);
    Path input = Files.write(dir.resolve("in.jsonl"),
      List.of("{\"id\":\"1\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\"]}", "{\"id\":\"2\"}"));

    CliRun run = bulk("--input", input.toString(), "--no-progress");

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isEqualTo(1);
    assertThat(run.out()).startsWith("sent 1/2 messages in ").contains(": 1 delivered, 1 invalid")
      .contains("errors:\n  INPUT: line 2: no from\n");
  }

  private CliRun bulk(String... args) {
    return bulkWithStdin(InputStream.nullInputStream(), args);
  }

  private CliRun bulkWithStdin(InputStream stdin, String... args) {
    int port = server.start().await();
    String[] all = new String[7 + args.length];
    System.arraycopy(new String[] {"bulk", "--host", "127.0.0.1", "--port", String.valueOf(port),
      "--tls", "none"}, 0, all, 0, 7);
    System.arraycopy(args, 0, all, 7, args.length);
    return CliRun.run(Map.of(), stdin, all);
  }
}
