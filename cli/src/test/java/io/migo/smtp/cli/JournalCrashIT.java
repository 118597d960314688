package io.migo.smtp.cli;

import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.Maildir;
import io.migo.smtp.testkit.TestServers;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.migo.smtp.cli.JobFiles.byId;
import static io.migo.smtp.cli.JobFiles.lines;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bulk job that survives its own crash (issue 11, parts 5 and 8): {@code migo-smtp bulk --journal} as a user runs
 * it (the shaded jar, its own JVM) against the real Postfix, killed with SIGKILL part-way, then run again with the
 * same journal. Every id must end delivered exactly once — in the first run (SKIPPED the second time) or in the
 * second — except the ids the second run reports UNKNOWN (in flight at the kill), which are not resent and are in the
 * Maildir at most once. Checked against the Maildir, by the id each message carries in a header.
 *
 * <p>Bounded by progress, not time: the kill comes once the first run's outcomes file has a share of the lines, and
 * each wait fails only when nothing moves for a minute.
 */
class JournalCrashIT {

  private static final int MESSAGES = 4000;
  /** The first run is killed once this many outcomes are written: part-way, whatever the machine's speed. */
  private static final int KILL_AFTER = 400;

  private static TestServers servers;

  @TempDir
  Path dir;

  @BeforeAll
  static void setUp() {
    servers = TestServers.require();
  }

  @Test
  void aJobKilledPartWayAndRunAgainDeliversEveryIdOnceExceptTheReportedUnknown() throws Exception {
    String marker = "crash-" + UUID.randomUUID();
    Path input = writeInput(marker);
    Path journal = dir.resolve("job.journal");
    Maildir maildir = Maildir.postfix(servers);

    Path firstOutcomes = dir.resolve("first.jsonl");
    Process first = start(input, journal, firstOutcomes, dir.resolve("first.log"));
    Await.untilTrue(() -> lines(firstOutcomes).size() >= KILL_AFTER || !first.isAlive(),
      "the first run's outcomes", () -> lines(firstOutcomes).size());
    assertThat(first.isAlive()).as("the first run is still running when it is killed (log: %s)",
      read(dir.resolve("first.log"))).isTrue();
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
    first.waitFor();

    Path secondOutcomes = dir.resolve("second.jsonl");
    Process second = start(input, journal, secondOutcomes, dir.resolve("second.log"));
    Await.untilTrue(() -> !second.isAlive(), "the second run's outcomes", () -> lines(secondOutcomes).size());
    int exit = second.waitFor();

    Map<String, JsonObject> outcomes = byId(lines(secondOutcomes));
    assertThat(outcomes.keySet()).as("one outcome per input line")
      .containsExactlyInAnyOrderElementsOf(ids());
    Map<String, List<String>> byStatus = outcomes.values().stream().collect(Collectors.groupingBy(
      o -> o.getString("status"), Collectors.mapping(o -> o.getString("id"), Collectors.toList())));
    assertThat(byStatus.keySet()).as("statuses of the second run; e.g. %s", outcomes.values().stream()
      .filter(o -> !Set.of("SKIPPED", "DELIVERED", "UNKNOWN").contains(o.getString("status"))).limit(3).toList()).isSubsetOf(Set.of("SKIPPED", "DELIVERED", "UNKNOWN"));
    assertThat(byStatus.getOrDefault("SKIPPED", List.of())).as("ids the first run finished").isNotEmpty();
    assertThat(byStatus.getOrDefault("DELIVERED", List.of())).as("ids the first run had not started").isNotEmpty();
    List<String> unknown = byStatus.getOrDefault("UNKNOWN", List.of());
    assertThat(unknown.size()).as("at most what was in flight").isLessThanOrEqualTo(64);
    if (unknown.isEmpty()) {
      assertThat(exit).as("exit status when every id is delivered, now or before").isZero();
    } else {
      assertThat(exit).as("exit status when some id is UNKNOWN").isNotZero();
    }

    // Skipped ids were delivered by the first run: the journal recorded their 250.
    for (String id : byStatus.getOrDefault("SKIPPED", List.of())) {
      assertThat(outcomes.get(id).encode()).as("a skipped id's journaled outcome").contains("DELIVERED");
    }

    int mustBeThere = MESSAGES - unknown.size();
    List<String> delivered = maildir.awaitAtLeast(mustBeThere, marker);
    Map<String, Long> copies = delivered.stream().map(m -> idIn(m, marker))
      .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(copies.values()).as("no id delivered twice").allMatch(n -> n == 1);
    List<String> missing = new ArrayList<>(ids());
    missing.removeAll(copies.keySet());
    assertThat(missing).as("ids not in the Maildir: only reported UNKNOWN ones may be")
      .allMatch(unknown::contains);
  }

  private Process start(Path input, Path journal, Path outcomes, Path log) throws IOException {
    List<String> command = List.of(javaExecutable(), "-jar", Path.of("target", "migo-smtp.jar").toAbsolutePath().toString(),
      "bulk", "--input", input.toString(), "--journal", journal.toString(), "--outcomes", outcomes.toString(),
      "--json", "--no-progress", "--concurrency", "8",
      "--host", servers.get("hostname"), "--port", servers.get("postfix.submission.port"),
      "--ca-cert", servers.get("ca.pem"), "--user", servers.user(), "--password", servers.password());
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private Path writeInput(String marker) throws IOException {
    Path input = dir.resolve("job.jsonl");
    List<String> lines = new ArrayList<>();
    for (String id : ids()) {
      lines.add(new JsonObject().put("id", id).put("from", servers.user()).put("to", List.of("crash@example.test"))
        .put("subject", "crash test " + id).put("text", "message " + id + " of a job that is killed")
        .put("headers", new JsonObject().put("X-Migo-Bulk", marker + " " + id)).encode());
    }
    Files.write(input, lines, StandardCharsets.UTF_8);
    return input;
  }

  private static List<String> ids() {
    return IntStream.range(0, MESSAGES).mapToObj(i -> "m" + i).toList();
  }



  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static String idIn(String message, String marker) {
    Matcher m = Pattern.compile("X-Migo-Bulk: " + Pattern.quote(marker) + " (m\\d+)").matcher(message);
    assertThat(m.find()).as("the id header in a delivered message").isTrue();
    return m.group(1);
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
