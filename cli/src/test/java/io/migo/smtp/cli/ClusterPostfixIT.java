package io.migo.smtp.cli;

import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.Maildir;
import io.migo.smtp.testkit.TestServers;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * A bulk job spread over a cluster of JVMs (issue 14, part 6), as a user runs it: three {@code migo-smtp worker}
 * processes and a {@code migo-smtp bulk --cluster} producer on loopback, against the real Postfix's submission port
 * (STARTTLS, AUTH). One worker is killed with SIGKILL part-way and a fourth joins after that. The job must end with
 * every id DELIVERED except those reported UNKNOWN (started by the killed worker), each in the Maildir once (the
 * unknown ones at most once), work settled by each of the first three and by the late one, and the relay must have
 * seen no more than the cluster's rate, read from Postfix's log.
 *
 * <p>Bounded by progress, not time: the kill comes once a share of the outcomes is written, each wait fails only when
 * nothing moves for a minute, and the rate is checked as an upper bound (a slow machine only sends slower).
 */
class ClusterPostfixIT {

  private static final int MESSAGES = 2000;
  private static final int KILL_AFTER = 400;
  private static final int RATE = 60;
  private static final int CONCURRENCY = 6;
  private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private static TestServers servers;

  @TempDir
  Path dir;

  private final List<Process> processes = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private final String clusterName = "migo-it-" + UUID.randomUUID();

  @BeforeAll
  static void setUp() {
    servers = TestServers.require();
  }

  @AfterEach
  void stopAll() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void aJobSpreadOverThreeWorkersSurvivesOneKilledAndKeepsTheClustersRate() throws Exception {
    for (int i = 0; i < 5; i++) {
      ports.add(freePort());
    }
    String marker = "cluster-" + UUID.randomUUID();
    Path input = writeInput(marker);
    Maildir maildir = Maildir.postfix(servers);
    Path postfixLog = Path.of(servers.get("postfix.log"));
    long logStart = maildir.logPosition();

    List<String> nodes = new ArrayList<>();
    List<Process> workers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      workers.add(worker(i));
    }
    for (int i = 0; i < 3; i++) {
      nodes.add(awaitReady(i, workers.get(i)));
    }
    Path outcomes = dir.resolve("outcomes.jsonl");
    Path producerLog = dir.resolve("producer.log");
    Process producer = start(List.of("bulk", "--cluster", "--input", input.toString(), "--outcomes",
      outcomes.toString(), "--json", "--no-progress", "--rate", String.valueOf(RATE), "--concurrency",
      String.valueOf(CONCURRENCY)), 4, producerLog, "128m");

    Await.untilTrue(() -> lines(outcomes).size() >= KILL_AFTER || !producer.isAlive(),
      "outcomes before the kill", () -> lines(outcomes).size());
    assertThat(producer.isAlive()).as("the producer still running at the kill (log: %s)", read(producerLog)).isTrue();
    Process victim = workers.get(2);
    victim.destroyForcibly(); // SIGKILL: no goodbye to the cluster
    victim.waitFor();
    Process late = worker(3);
    String lateNode = awaitReady(3, late);

    Await.untilTrue(() -> !producer.isAlive(), "the job's outcomes", () -> lines(outcomes).size());
    producer.waitFor();

    Map<String, JsonObject> byId = byId(lines(outcomes));
    assertThat(byId.keySet()).as("one outcome per input line").containsExactlyInAnyOrderElementsOf(ids());
    Map<String, List<String>> byStatus = byId.values().stream().collect(Collectors.groupingBy(
      o -> o.getString("status"), Collectors.mapping(o -> o.getString("id"), Collectors.toList())));
    assertThat(byStatus.keySet()).as("statuses").isSubsetOf(Set.of("DELIVERED", "UNKNOWN"));
    List<String> unknown = byStatus.getOrDefault("UNKNOWN", List.of());
    assertThat(unknown.size()).as("UNKNOWN: at most the killed worker's window").isLessThanOrEqualTo(CONCURRENCY);

    JsonObject summary = new JsonObject(lastLine(read(producerLog)));
    JsonObject settled = summary.getJsonObject("workers");
    assertThat(settled).as("the summary's workers (log: %s)", read(producerLog)).isNotNull();
    for (String node : nodes.subList(0, 2)) {
      // The two that lived to the end had the same windows for the whole job: each took a fair share of it.
      assertThat(settled.getLong(node, 0L)).as("settled by a first worker, %s: %s", node, settled)
        .isGreaterThan(MESSAGES / 10);
    }
    assertThat(settled.getLong(nodes.get(2), 0L)).as("settled by the killed worker before the kill").isPositive();
    assertThat(settled.getLong(lateNode, 0L)).as("settled by the worker that joined late").isPositive();
    long settledTotal = settled.getMap().values().stream().mapToLong(v -> ((Number) v).longValue()).sum();
    assertThat(settledTotal + unknown.size()).as("every message settled by a worker, or lost with one")
      .isGreaterThanOrEqualTo(MESSAGES);

    List<String> delivered = maildir.awaitAtLeast(MESSAGES - unknown.size(), marker);
    Map<String, Long> copies = delivered.stream().map(m -> idIn(m, marker))
      .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(copies.values()).as("no id delivered twice").allMatch(n -> n == 1);
    List<String> missing = new ArrayList<>(ids());
    missing.removeAll(copies.keySet());
    assertThat(missing).as("ids not in the Maildir: only reported UNKNOWN ones may be").allMatch(unknown::contains);

    int worst = assertRateWithinBudget(linesSince(postfixLog, logStart));
    // For the record (failsafe's output): what this run saw.
    System.out.printf("ClusterPostfixIT: %d messages, %d UNKNOWN, settled by worker %s, late worker %s, killed %s; "
      + "most in any 5 s at the relay: %d (budget %d/s); summary %s%n", MESSAGES, unknown.size(), settled.encode(),
      lateNode, nodes.get(2), worst, RATE, summary.encode());
  }

  /**
   * Each message accepted on the submission port is one {@code client=…, sasl_username=…} line of smtpd, stamped to
   * the second. Over every window of {@code W} seconds the relay may see at most the rate's share of that window,
   * plus one second's worth for the stamps' rounding and the cluster's sessions for messages that left together.
   */
  private static int assertRateWithinBudget(List<String> log) {
    Pattern accepted = Pattern.compile("^\\S+ +\\d+ (\\d\\d:\\d\\d:\\d\\d) .*/smtpd\\[\\d+\\]: [0-9A-F]+: client=.*"
      + "sasl_username=" + Pattern.quote(servers.user()));
    TreeMap<Integer, Integer> perSecond = new TreeMap<>();
    for (String line : log) {
      Matcher m = accepted.matcher(line);
      if (m.find()) {
        perSecond.merge(LocalTime.parse(m.group(1), LOG_TIME).toSecondOfDay(), 1, Integer::sum);
      }
    }
    int total = perSecond.values().stream().mapToInt(Integer::intValue).sum();
    assertThat(total).as("messages in Postfix's log").isGreaterThanOrEqualTo(MESSAGES - CONCURRENCY);
    int window = 5;
    int allowed = RATE * (window + 1) + CONCURRENCY;
    int first = perSecond.firstKey();
    int last = perSecond.lastKey();
    int worst = 0;
    for (int start = first; start <= last; start++) {
      int count = perSecond.subMap(start, start + window).values().stream().mapToInt(Integer::intValue).sum();
      worst = Math.max(worst, count);
    }
    assertThat(worst).as("most messages the relay saw in %d s (rate %d/s)", window, RATE).isLessThanOrEqualTo(allowed);
    return worst;
  }

  private Process worker(int i) throws IOException {
    return start(List.of("worker", "--pool-size", "4",
      "--host", servers.get("hostname"), "--port", servers.get("postfix.submission.port"),
      "--ca-cert", servers.get("ca.pem"), "--user", servers.user(), "--password", servers.password()),
      i, dir.resolve("worker" + i + ".log"), "256m");
  }

  private String awaitReady(int i, Process worker) {
    Path log = dir.resolve("worker" + i + ".log");
    Pattern ready = Pattern.compile("(?m)^worker (\\S+) ready$");
    Await.untilTrue(() -> ready.matcher(read(log)).find() || !worker.isAlive(), "worker " + i + " ready",
      () -> read(log).length());
    Matcher m = ready.matcher(read(log));
    assertThat(m.find()).as("worker %d ready (log: %s)", i, read(log)).isTrue();
    return m.group(1);
  }

  /** A CLI process that is member {@code member} of this test's cluster. */
  private Process start(List<String> args, int member, Path log, String heap) throws IOException {
    List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx" + heap, "-XX:TieredStopAtLevel=1",
      "-XX:+UseSerialGC", "-jar", Path.of("target", "migo-smtp.jar").toAbsolutePath().toString()));
    command.addAll(args);
    command.addAll(List.of("--cluster-host", "127.0.0.1", "--cluster-port", String.valueOf(ports.get(member)),
      "--cluster-name", clusterName, "--cluster-members",
      ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","))));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.add(process);
    return process;
  }

  private Path writeInput(String marker) throws IOException {
    Path input = dir.resolve("job.jsonl");
    List<String> lines = new ArrayList<>();
    for (String id : ids()) {
      lines.add(new JsonObject().put("id", id).put("from", servers.user()).put("to", List.of("cluster@example.test"))
        .put("subject", "cluster test " + id).put("text", "message " + id + " of a job spread over a cluster")
        .put("headers", new JsonObject().put("X-Migo-Bulk", marker + " " + id)).encode());
    }
    Files.write(input, lines, StandardCharsets.UTF_8);
    return input;
  }

  private static List<String> ids() {
    return IntStream.range(0, MESSAGES).mapToObj(i -> "m" + i).toList();
  }



  private static String lastLine(String text) {
    List<String> all = text.lines().filter(l -> l.startsWith("{")).toList();
    assertThat(all).as("a JSON summary line in: %s", text).isNotEmpty();
    return all.get(all.size() - 1);
  }

  private static List<String> linesSince(Path log, long from) {
    try {
      byte[] all = Files.readAllBytes(log);
      int start = (int) Math.min(from, all.length);
      return new String(all, start, all.length - start, StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new AssertionError("cannot read " + log, e);
    }
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

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
