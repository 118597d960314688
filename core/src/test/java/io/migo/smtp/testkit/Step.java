package io.migo.smtp.testkit;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One exchange of a scripted SMTP dialogue: what the server waits for (nothing, some command lines, or a message's
 * data), then what it does. A group of several expected lines models a pipelined batch: the server replies only
 * once all of them have arrived.
 */
public final class Step {

  enum Kind { GREETING, COMMANDS, DATA }

  /**
   * What the server writes, each its own socket write, in order. Typed, so that the server never has to tell a raw
   * chunk from reply lines by looking inside a string.
   */
  sealed interface Write permits Lines, Raw, Answer {
  }

  /** Reply lines, CRLF added to each, in one write. */
  record Lines(List<String> lines) implements Write {
  }

  /** Bytes exactly as given (no CRLF added): a partial line, a reply split mid-line, a flood. */
  record Raw(String bytes) implements Write {
  }

  /**
   * One reply line computed from what the client sent: the line that completed the step, or for a data step the
   * message content as received. For replies that quote the client (a refused address) or count (queue ids).
   */
  record Answer(UnaryOperator<String> reply) implements Write {
  }

  final Kind kind;
  final List<String> expected;
  final List<Write> writes = new ArrayList<>();
  Future<?> gate;
  boolean upgradeTls;
  boolean close;
  boolean stopReading;

  private Step(Kind kind, List<String> expected) {
    this.kind = kind;
    this.expected = expected;
  }

  /** Sent as soon as the client connects. */
  public static Step greeting(String... lines) {
    return new Step(Kind.GREETING, List.of()).reply(lines);
  }

  /** Waits for these command lines, in order; a pattern ending in '*' matches any line with that prefix. */
  public static Step on(String... patterns) {
    return new Step(Kind.COMMANDS, List.of(patterns));
  }

  /** Waits for message data up to the terminating "." line. */
  public static Step onData() {
    return new Step(Kind.DATA, List.of());
  }

  /** Writes these lines (CRLF added to each) in one write. */
  public Step reply(String... lines) {
    writes.add(new Lines(List.of(lines)));
    return this;
  }

  /**
   * Writes each chunk as it is (no CRLF added) in its own write, the next one only once the previous one has been
   * handed to the operating system. How the client's reads then split or join them is up to TCP, so a test must
   * pass either way; the reply decoder's own tests feed it every split, byte by byte.
   */
  public Step raw(String... chunks) {
    for (String chunk : chunks) {
      writes.add(new Raw(chunk));
    }
    return this;
  }

  /** Writes one reply line computed from the client's line (for a data step: from the message content). */
  public Step answer(UnaryOperator<String> reply) {
    writes.add(new Answer(reply));
    return this;
  }

  /**
   * Holds this step's writes back until {@code gate} completes: a server that answers only once something else has
   * happened (another session's message was delivered), decided by progress, never by a delay.
   */
  public Step after(Future<?> gate) {
    this.gate = gate;
    return this;
  }

  /** Upgrades the connection to TLS right after the last reply of this step (server side of STARTTLS). */
  public Step thenUpgradeTls() {
    upgradeTls = true;
    return this;
  }

  /** After replying, stops reading from the socket: a server that takes no more data (for backpressure tests). */
  public Step thenStopReading() {
    stopReading = true;
    return this;
  }

  /** After replying (if at all), closes the connection. */
  public Step thenClose() {
    close = true;
    return this;
  }

  boolean matches(int index, String line) {
    String pattern = expected.get(index);
    return pattern.endsWith("*") ? line.startsWith(pattern.substring(0, pattern.length() - 1)) : line.equals(pattern);
  }

  /** Whether this step, used as a rule, answers the line: a single-pattern command step that matches it. */
  boolean answers(String line) {
    return kind == Kind.COMMANDS && matches(0, line);
  }

  @Override
  public String toString() {
    return kind == Kind.DATA ? "<data>" : kind == Kind.GREETING ? "<greeting>" : expected.toString();
  }
}
