package io.migo.smtp.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * One exchange of a scripted SMTP dialogue: what the server waits for (nothing, some command lines, or a message's
 * data), then what it does. A group of several expected lines models a pipelined batch: the server replies only
 * once all of them have arrived.
 */
public final class Step {

  enum Kind { GREETING, COMMANDS, DATA }

  final Kind kind;
  final List<String> expected;
  final List<List<String>> writes = new ArrayList<>();
  boolean upgradeTls;
  boolean close;
  boolean stopReading;
  int delayBetweenWritesMs;

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
    writes.add(List.of(lines));
    return this;
  }

  /** Writes each chunk as it is (no CRLF added) in its own write, a few milliseconds apart. */
  public Step raw(String... chunks) {
    for (String chunk : chunks) {
      writes.add(List.of("\u0000raw", chunk));
    }
    delayBetweenWritesMs = 5;
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

  @Override
  public String toString() {
    return kind == Kind.DATA ? "<data>" : kind == Kind.GREETING ? "<greeting>" : expected.toString();
  }
}
