package io.migo.smtp.cli;

import io.migo.smtp.SendResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressDisplayTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void plainLinesShowSentFailedAndRate() throws Exception {
    int[] n = {0};
    BulkSender sender = new BulkSender(vertx.getOrCreateContext(), 5, 1, () -> ++n[0] == 3
      ? Future.failedFuture(new IllegalStateException("boom"))
      : Future.succeededFuture(new SendResult(null, "250 ok", List.of("a@b"), List.of())));
    StringWriter lines = new StringWriter();
    ProgressDisplay display = ProgressDisplay.create(ProgressDisplay.Mode.LINES, System.err, new PrintWriter(lines));

    display.start(sender);
    sender.run().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    display.refresh();
    display.close();

    assertThat(lines.toString()).matches("progress: 4/5 sent, 1 failed, \\d+ msgs/s \\(average \\d+ msgs/s\\)\\R");
  }

  @Test
  void barDrawsOnTheGivenStreamAndEndsFull() throws Exception {
    BulkSender sender = new BulkSender(vertx.getOrCreateContext(), 5, 2,
      () -> Future.succeededFuture(new SendResult(null, "250 ok", List.of("a@b"), List.of())));
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    StringWriter lines = new StringWriter();
    ProgressDisplay display = ProgressDisplay.create(ProgressDisplay.Mode.BAR,
      new PrintStream(terminal, true, StandardCharsets.UTF_8), new PrintWriter(lines));

    display.start(sender);
    sender.run().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    display.close();

    String drawn = terminal.toString(StandardCharsets.UTF_8);
    assertThat(drawn).contains("sending", "100%", "5/5");
    assertThat(drawn).as("one bar line, ended once").endsWith(System.lineSeparator())
      .containsOnlyOnce(System.lineSeparator());
    assertThat(lines.toString()).isEmpty();
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

  @Test
  void offShowsNothing() throws Exception {
    BulkSender sender = new BulkSender(vertx.getOrCreateContext(), 5, 2,
      () -> Future.succeededFuture(new SendResult(null, "250 ok", List.of("a@b"), List.of())));
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    StringWriter lines = new StringWriter();
    ProgressDisplay display = ProgressDisplay.create(ProgressDisplay.Mode.OFF,
      new PrintStream(terminal, true, StandardCharsets.UTF_8), new PrintWriter(lines, true));

    display.start(sender);
    sender.run().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    display.refresh();
    display.close();

    assertThat(sender.acceptedSoFar()).as("the run it did not show").isEqualTo(5);
    assertThat(terminal.toByteArray()).as("nothing on the terminal").isEmpty();
    assertThat(lines.toString()).as("no progress lines").isEmpty();
  }

  @Test
  void sendWithJsonKeepsStdoutToOneLineEvenWithProgress() throws Exception {
    TinySmtpServer server = TinySmtpServer.start();
    try {
      CliRun run = CliRun.run("send", "--host", "127.0.0.1", "--port", String.valueOf(server.port()),
        "--tls", "none", "--from", "a@example.com", "--to", "b@example.com", "--count", "30", "--json");
      assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
      assertThat(run.out()).hasLineCount(1);
    } finally {
      server.close();
    }
  }
}
