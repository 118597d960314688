package io.migo.smtp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real server's Maildir and its log, read by a test that waits for a delivery. Postfix delivers after its 250,
 * asynchronously, so a test polls; the wait is bounded by the server's progress, not by the clock: it fails only
 * when neither the Maildir nor the log has changed for a stall limit ({@link Await#STALL_LIMIT} unless given; the
 * server has stopped doing anything), or after {@link Await#OUTER_LIMIT}. A slow machine simply waits longer.
 */
public final class Maildir {

  private final Path dir;
  private final Path log;

  /** @param log the server's log, whose growth counts as progress; {@code null} if there is none to read */
  public Maildir(Path dir, Path log) {
    this.dir = dir;
    this.log = log;
  }

  /** The catch-all Maildir and log of {@code scripts/test-servers.sh}'s Postfix. */
  public static Maildir postfix(TestServers servers) {
    return new Maildir(Path.of(servers.get("postfix.maildir")), Path.of(servers.get("postfix.log")));
  }

  /** Every delivered message that contains {@code marker} (a unique Message-ID or subject), as Postfix stored it. */
  public List<String> containing(String marker) {
    return messages().filter(m -> m.contains(marker)).collect(Collectors.toList());
  }

  /** Waits for the first delivered message that contains {@code marker}, and returns it. */
  public String awaitOne(String marker) {
    return awaitOne(m -> m.contains(marker), "a message containing " + marker, Await.STALL_LIMIT);
  }

  /** Waits until at least {@code count} delivered messages contain {@code marker}, and returns them all. */
  public List<String> awaitAtLeast(int count, String marker) {
    return awaitUntil(() -> {
      List<String> found = containing(marker);
      return found.size() >= count ? found : null;
    }, count + " messages containing " + marker, Await.STALL_LIMIT);
  }

  /** Waits for the first delivered message that satisfies {@code match}; fails after {@code stallLimit} without progress. */
  public String awaitOne(Predicate<String> match, String what, Duration stallLimit) {
    return awaitUntil(() -> messages().filter(match).findFirst().orElse(null), what, stallLimit);
  }

  private Stream<String> messages() {
    return files().map(Maildir::read);
  }

  /** The log's length now: a starting point for {@link #awaitLogLine}. */
  public long logPosition() {
    if (log == null) {
      return 0;
    }
    try {
      return Files.size(log);
    } catch (IOException e) {
      return 0;
    }
  }

  /** Waits for a log line written after {@code from} that satisfies {@code match}, and returns it. */
  public String awaitLogLine(long from, Predicate<String> match, String what) {
    return awaitUntil(() -> logLinesSince(from).stream().filter(match).findFirst().orElse(null), what,
      Await.STALL_LIMIT);
  }

  private List<String> logLinesSince(long from) {
    if (log == null) {
      return List.of();
    }
    try {
      byte[] all = Files.readAllBytes(log);
      int start = (int) Math.min(from, all.length);
      return new String(all, start, all.length - start, StandardCharsets.UTF_8).lines().collect(Collectors.toList());
    } catch (IOException e) {
      return List.of();
    }
  }

  private <T> T awaitUntil(Supplier<T> probe, String what, Duration stallLimit) {
    long started = System.nanoTime();
    long lastMove = started;
    String seen = progress();
    while (true) {
      T found = probe.get();
      if (found != null) {
        return found;
      }
      long now = System.nanoTime();
      String current = progress();
      if (!current.equals(seen)) {
        seen = current;
        lastMove = now;
      } else if (now - lastMove > stallLimit.toNanos()) {
        throw new AssertionError("the server did nothing for " + stallLimit.toSeconds() + " s and there is still no "
          + what + " (Maildir " + dir + ", log " + log + ")");
      }
      if (now - started > Await.OUTER_LIMIT.toNanos()) {
        throw new AssertionError("still no " + what + " after " + Await.OUTER_LIMIT.toMinutes() + " min");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  /** What changes while Postfix works: the log's length and the Maildir's file count. */
  private String progress() {
    return logPosition() + "/" + files().count();
  }

  /**
   * Every file under the directory but those in its tmp/, which holds files being written that Maildir readers must
   * ignore. Not only new/ and cur/: some test servers store plain files in a flat directory.
   */
  private Stream<Path> files() {
    if (!Files.isDirectory(dir)) {
      return Stream.empty();
    }
    Path tmp = dir.resolve("tmp");
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(f -> !f.startsWith(tmp)).filter(Files::isRegularFile).collect(Collectors.toList()).stream();
    } catch (IOException | UncheckedIOException e) {
      return Stream.empty(); // a file moved from new/ to cur/ mid-walk: the next poll sees it again
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return ""; // moved from new/ to cur/ by someone, or being removed: the next poll sees it again
    }
  }
}
