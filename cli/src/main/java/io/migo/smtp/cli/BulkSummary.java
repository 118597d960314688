package io.migo.smtp.cli;

import io.migo.smtp.SendOutcome;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The tally of a {@code bulk} job: {@code send}'s {@link Summary} (which classifies every outcome the client reports
 * and keeps the errors) plus what only a job has. Its JSON line is {@code send}'s fields, {@code messages} counting
 * every input line, then {@code skipped} (ended in an earlier run with the same journal), {@code throttled} (how many
 * times the relay asked the client to slow down) and {@code deferred} (messages deferred at least once). Lines the
 * command could not read as a message count as {@code invalid}, as the client's own refusals do.
 *
 * <p>Not thread safe: {@link BulkJob} feeds it on the client's context.
 */
final class BulkSummary {

  /** For {@code bulk --help}, after {@link Summary#JSON_FIELDS_HELP}; {@code BulkCommandTest} checks the names. */
  static final String JSON_FIELDS_HELP = "Besides those, bulk's line has skipped (ended by an earlier run with the "
    + "same journal, not sent again), throttled (how many times the relay asked the client to slow down) and deferred "
    + "(messages deferred at least once by throttling); messages counts every input line, invalid includes lines "
    + "that are not a message; with --cluster, workers maps each worker's node id to the messages it settled.";

  /** Counts every outcome but SKIPPED, which the client never sent; its {@code messages} is not used. */
  private final Summary sent = new Summary(0);
  private final List<String> problems = new ArrayList<>();
  private int messages;
  private int skipped;
  private int deferred;
  private int deliveredNowOrBefore;
  private long throttled;
  /** Messages settled by each cluster worker, by node id; {@code null} without a cluster. */
  private Map<String, Long> workers;

  /** One outcome of the client's bulk send. */
  void record(SendOutcome outcome) {
    messages++;
    if (outcome.isDeliveredNowOrBefore()) {
      deliveredNowOrBefore++;
    }
    if (outcome.deferrals() > 0) {
      deferred++;
    }
    if (outcome.status() == SendOutcome.Status.SKIPPED) {
      skipped++;
    } else {
      sent.record(outcome);
    }
  }

  /** A line that is not a message the client could be given. */
  void recordInvalid(InputParser.Invalid line) {
    messages++;
    sent.recordInvalidInput("line " + line.line() + ": " + line.reason());
  }

  /**
   * Something that went wrong with the job rather than with a message (the input could not be read to its end, the
   * outcomes could not all be written): it fails the job even when every message was delivered.
   */
  void recordProblem(String problem) {
    problems.add(problem);
  }

  /** The end of the job: how long it took, and the client's count of throttling replies. */
  void finish(double seconds, long throttleEvents) {
    sent.finish(seconds);
    this.throttled = throttleEvents;
  }

  /**
   * Every line ended delivered to every recipient, in this run or (SKIPPED) an earlier one, and nothing went wrong
   * with the job itself: the job has nothing left to do.
   */
  boolean allDelivered() {
    return deliveredNowOrBefore == messages && problems.isEmpty();
  }

  int messages() {
    return messages;
  }

  int skipped() {
    return skipped;
  }

  int deferred() {
    return deferred;
  }

  long throttled() {
    return throttled;
  }

  List<String> problems() {
    return List.copyOf(problems);
  }

  /** Exactly one line, no trailing newline. */
  /** For {@code bulk --cluster}: what each worker settled. */
  void workers(Map<String, Long> workers) {
    this.workers = workers == null ? null : new TreeMap<>(workers);
  }

  String toJsonLine() {
    JsonObject json = sent.toJson()
      .put("messages", messages)
      .put("skipped", skipped)
      .put("throttled", throttled)
      .put("deferred", deferred);
    if (workers != null) {
      JsonObject byWorker = new JsonObject();
      workers.forEach(byWorker::put);
      json.put("workers", byWorker);
    }
    return json.encode();
  }

  /**
   * For example {@code sent 98/100 messages in 2.10 s (46.7 msgs/s): 98 delivered, 2 skipped (...)}, then the
   * throttling when there was any, the job's problems and the errors one per line.
   */
  String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "sent %d/%d messages in %.2f s (%.1f msgs/s): %s",
      sent.delivered() + sent.partiallyDelivered(), messages, sent.seconds(), sent.messagesPerSecond(),
      sent.outcomes()));
    if (skipped > 0) {
      sb.append(", ").append(skipped).append(" skipped (ended in an earlier run)");
    }
    sb.append('\n');
    if (throttled > 0 || deferred > 0) {
      sb.append(String.format(Locale.ROOT, "throttling: the relay asked to slow down %d times; %d messages were "
        + "deferred", throttled, deferred)).append('\n');
    }
    if (workers != null) {
      sb.append("workers: ");
      StringJoiner each = new StringJoiner(", ");
      workers.forEach((node, count) -> each.add(node + " " + count));
      sb.append(each.length() == 0 ? "none took work" : each.toString()).append('\n');
    }
    problems.forEach(p -> sb.append("problem: ").append(p).append('\n'));
    return sb.append(sent.errorsText()).toString();
  }
}
