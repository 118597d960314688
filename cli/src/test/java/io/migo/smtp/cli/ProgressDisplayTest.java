package io.migo.smtp.cli;

import io.migo.smtp.SendProgress;
import io.migo.smtp.testkit.CountingSink;
import io.vertx.core.Vertx;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressDisplayTest {

  /** Five messages done: three delivered, one partially, and one each rejected and unknown; two more in flight. */
  private static final SendProgress FIVE_OF_SEVEN = new SendProgress(7, 3, 1, 1, 0, 1, 2, 42.0);
  /** Every one of five delivered. */
  private static final SendProgress ALL_FIVE = new SendProgress(5, 5, 0, 0, 0, 0, 0, 42.0);

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void plainLinesShowSentFailedAndRate() {
    StringWriter lines = new StringWriter();
    ProgressDisplay display = ProgressDisplay.create(ProgressDisplay.Mode.LINES, System.err, new PrintWriter(lines));

    display.start(7, () -> FIVE_OF_SEVEN);
    display.refresh();
    display.close();

    assertThat(lines.toString())
      .as("accepted = delivered + partially delivered; failed = every other completed message")
      .matches("progress: 4/7 sent, 2 failed, \\d+ msgs/s \\(average \\d+ msgs/s\\)\\R");
  }

  /** bulk: the total is what has been read so far, and the throttling state follows the rate. */
  @Test
  void bulkLinesShowTheTotalSoFarAndTheThrottling() {
    StringWriter lines = new StringWriter();
    ProgressDisplay display = ProgressDisplay.create(ProgressDisplay.Mode.LINES, System.err, new PrintWriter(lines));
    long[] read = {9};
    SendProgress throttled = new SendProgress(7, 3, 1, 1, 0, 1, 2, 42.0, 12.5, 3, 4, 6);
    SendProgress unlimited = new SendProgress(7, 3, 1, 1, 0, 1, 2, 42.0, 0, 8, 0, 0);
    SendProgress[] now = {throttled};

    display.start(new ProgressDisplay.Source(() -> read[0], () -> 2, () -> now[0], true));
    display.refresh();
    read[0] = 20;
    now[0] = unlimited;
    display.refresh();
    display.close();

    assertThat(lines.toString().lines()).satisfiesExactly(
      first -> assertThat(first).matches("progress: 4/9 sent, 2 failed, \\d+ msgs/s \\(average \\d+ msgs/s\\); "
        + "rate limit 12\\.5 msgs/s, 3 sessions, 4 deferred"),
      second -> assertThat(second).startsWith("progress: 4/20 sent, 2 failed, ")
        .endsWith("; no rate limit, 8 sessions, 0 deferred"));
  }

  @Test
  void barDrawsOnTheGivenStreamAndEndsFull() {
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    StringWriter lines = new StringWriter();
    ProgressDisplay display = ProgressDisplay.create(ProgressDisplay.Mode.BAR,
      new PrintStream(terminal, true, StandardCharsets.UTF_8), new PrintWriter(lines));

    display.start(5, () -> ALL_FIVE);
    display.close();

    String drawn = terminal.toString(StandardCharsets.UTF_8);
    assertThat(drawn).contains("sending", "100%", "5/5");
    assertThat(drawn).as("one bar line, ended once").endsWith(System.lineSeparator())
      .containsOnlyOnce(System.lineSeparator());
    assertThat(lines.toString()).isEmpty();
  }

  /** Lines skipped or invalid never reach the client's counters, but they are done: the bar still ends full. */
  @Test
  void bulkBarCountsWhatEndedWithoutTheClient() {
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    ProgressDisplay display = ProgressDisplay.create(ProgressDisplay.Mode.BAR,
      new PrintStream(terminal, true, StandardCharsets.UTF_8), new PrintWriter(new StringWriter()));
    SendProgress threeDelivered = new SendProgress(3, 3, 0, 0, 0, 0, 0, 42.0, 0, 2, 0, 0);

    display.start(new ProgressDisplay.Source(() -> 5, () -> 2, () -> threeDelivered, true));
    display.close();

    assertThat(terminal.toString(StandardCharsets.UTF_8)).contains("100%", "5/5");
  }

  @Test
  void aBarFrameOrCloseAfterTheFirstCloseIsDropped() {
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    ProgressDisplay.ClosesOnce consumer = new ProgressDisplay.ClosesOnce(
      new ConsoleProgressBarConsumer(new PrintStream(terminal, true, StandardCharsets.UTF_8), 40));

    consumer.accept("frame 1");
    consumer.close();
    consumer.accept("frame 1");
    consumer.close();

    assertThat(terminal.toString(StandardCharsets.UTF_8)).isEqualTo("\rframe 1" + System.lineSeparator());
  }

  /**
   * The same run shown three ways: OFF must show nothing where LINES and BAR, given the very same counters and
   * calls, do show it. Without the other two, a display that never drew anything would pass for OFF.
   */
  @Test
  void offShowsNothing() {
    int[] reads = {0};
    Supplier<SendProgress> counted = () -> {
      reads[0]++;
      return ALL_FIVE;
    };

    Shown off = show(ProgressDisplay.Mode.OFF, counted);
    int readsByOff = reads[0];
    Shown lines = show(ProgressDisplay.Mode.LINES, counted);
    Shown bar = show(ProgressDisplay.Mode.BAR, counted);

    assertThat(off.terminal()).as("OFF: nothing on the terminal").isEmpty();
    assertThat(off.lines()).as("OFF: no progress lines").isEmpty();
    assertThat(readsByOff).as("OFF does not even poll the client").isZero();
    assertThat(lines.lines()).as("LINES, same run").startsWith("progress: 5/5 sent, 0 failed");
    assertThat(bar.terminal()).as("BAR, same run").contains("5/5");
  }

  /** What a display wrote for one run: started, refreshed once, closed. */
  private record Shown(String terminal, String lines) {
  }

  private static Shown show(ProgressDisplay.Mode mode, Supplier<SendProgress> progress) {
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    StringWriter lines = new StringWriter();
    ProgressDisplay display = ProgressDisplay.create(mode,
      new PrintStream(terminal, true, StandardCharsets.UTF_8), new PrintWriter(lines, true));
    display.start(5, progress);
    display.refresh();
    display.close();
    return new Shown(terminal.toString(StandardCharsets.UTF_8), lines.toString());
  }

  @Test
  void sendWithJsonKeepsStdoutToOneLineEvenWithProgress() {
    CountingSink sink = new CountingSink(vertx, 1);
    int port = sink.start().await();
    try {
      CliRun run = CliRun.run("send", "--host", "127.0.0.1", "--port", String.valueOf(port),
        "--tls", "none", "--from", "a@example.com", "--to", "b@example.com", "--count", "30", "--json");
      assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
      assertThat(run.out()).hasLineCount(1);
    } finally {
      sink.stop().await();
    }
  }
}
