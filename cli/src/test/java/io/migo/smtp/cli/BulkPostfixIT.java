package io.migo.smtp.cli;

import io.migo.smtp.testkit.Maildir;
import io.migo.smtp.testkit.TestServers;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bulk} against the real Postfix of {@code scripts/test-servers.sh}: its submission port (STARTTLS required,
 * the test CA trusted and the host name verified, AUTH with the password from the environment), fifty messages from
 * an input file, each delivered once to the Maildir and reported once in the outcomes file.
 */
class BulkPostfixIT {

  private static final int MESSAGES = 50;

  @TempDir
  Path dir;

  @Test
  void fiftyMessagesFromAFile() throws IOException {
    TestServers servers = TestServers.require();
    String marker = "bulk-it-" + UUID.randomUUID();
    Files.writeString(dir.resolve("note.txt"), "attached to every message");
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= MESSAGES; i++) {
      lines.add(new JsonObject()
        .put("id", "msg-" + i)
        .put("from", servers.user())
        .put("to", List.of("rcpt" + i + "@example.test"))
        .put("subject", marker + " #" + i)
        .put("text", "message " + i + " of a bulk job")
        .put("headers", Map.of("X-Bulk-Id", "msg-" + i))
        .put("attachments", List.of(Map.of("path", "note.txt", "contentType", "text/plain")))
        .encode());
    }
    Path input = Files.write(dir.resolve("job.jsonl"), lines);
    Path outcomes = dir.resolve("outcomes.jsonl");

    CliRun run = CliRun.run(Map.of("MIGO_IT_PASSWORD", servers.password()), InputStream.nullInputStream(),
      "bulk", "--host", servers.get("hostname"), "--port", servers.get("postfix.submission.port"),
      "--tls", "starttls", "--ca-cert", servers.get("ca.pem"),
      "--user", servers.user(), "--password-env", "MIGO_IT_PASSWORD",
      "--input", input.toString(), "--outcomes", outcomes.toString(), "--concurrency", "4", "--json");

    assertThat(run.exitCode()).as("stdout: %s%nstderr: %s", run.out(), run.err()).isZero();
    JsonObject summary = new JsonObject(run.out().trim());
    assertThat(summary.getInteger("messages")).isEqualTo(MESSAGES);
    assertThat(summary.getInteger("delivered")).isEqualTo(MESSAGES);

    List<JsonObject> reported = Files.readAllLines(outcomes).stream().map(JsonObject::new).toList();
    assertThat(reported).hasSize(MESSAGES).allSatisfy(line -> {
      assertThat(line.getString("status")).isEqualTo("DELIVERED");
      assertThat(line.getInteger("code")).isEqualTo(250);
      assertThat(line.getString("response")).contains("queued as");
    });
    assertThat(reported.stream().map(l -> l.getString("id")).collect(Collectors.toSet()))
      .as("every id once").hasSize(MESSAGES);

    List<String> delivered = Maildir.postfix(servers).awaitAtLeast(MESSAGES, marker);
    for (int i = 1; i <= MESSAGES; i++) {
      String subject = "Subject: " + marker + " #" + i + "\n";
      assertThat(delivered).as("message %d in the Maildir, once", i).filteredOn(m -> m.contains(subject))
        .singleElement().asString().contains("X-Bulk-Id: msg-" + i, "text/plain");
    }
  }
}
