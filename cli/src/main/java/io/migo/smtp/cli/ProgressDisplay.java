package io.migo.smtp.cli;

import io.migo.smtp.SendProgress;
import io.migo.smtp.SmtpClient;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Shows how a bulk run is going, on stderr only (stdout is for the result, one JSON line with {@code --json}): a
 * progress bar when stderr is a terminal, else one plain line every {@value #LINE_INTERVAL_MS} ms (sent, failed,
 * rate), which reads well in a CI log. A daemon thread polls the client's {@link SmtpClient#progress()}, which the
 * client keeps anyway, so the send path does no extra work for the display.
 *
 * <p>"Sent" is what the server accepted (delivered or partially delivered), "failed" every other completed message
 * (rejected, invalid, failed, unknown): the summary at the end tells them apart. {@code bulk} also shows the
 * throttling state: the rate limit the client allows itself now, the sessions it may open and the messages deferred.
 */
abstract class ProgressDisplay implements AutoCloseable {

  static final long LINE_INTERVAL_MS = 2000;
  static final long BAR_INTERVAL_MS = 200;

  /** How the display is chosen. */
  enum Mode {
    OFF, AUTO, BAR, LINES
  }

  /** Nothing shown. */
  static ProgressDisplay none() {
    return new ProgressDisplay() {
      @Override
      void start(Source source) {
      }

      @Override
      void refresh() {
      }

      @Override
      void finish() {
      }
    };
  }

  /**
   * The display for {@code mode}: {@code AUTO} picks the bar when the process has a console (a terminal), plain
   * lines otherwise.
   */
  static ProgressDisplay create(Mode mode, PrintStream terminal, PrintWriter lines) {
    Mode chosen = mode == Mode.AUTO ? (System.console() != null ? Mode.BAR : Mode.LINES) : mode;
    return switch (chosen) {
      case OFF, AUTO -> none();
      case BAR -> new Bar(terminal);
      case LINES -> new Lines(lines);
    };
  }

  /**
   * What a display follows, each read on the display's own thread: how many messages there are ({@code total}, which
   * may grow while the input is read), how many ended without the client ({@code settledApart}: skipped or refused
   * input, which the client's counters never see), the client's counters, and whether to show its throttling.
   */
  record Source(LongSupplier total, LongSupplier settledApart, Supplier<SendProgress> progress, boolean throttling) {

    /** {@code count} messages known from the start, every one sent through the client; throttling not shown. */
    static Source fixed(int count, Supplier<SendProgress> progress) {
      return new Source(() -> count, () -> 0, progress, false);
    }
  }

  private ScheduledExecutorService timer;
  private Source source;
  private long startNanos;

  /** {@link #start(Source)} for a run of {@code count} messages. */
  void start(int count, Supplier<SendProgress> progress) {
    start(Source.fixed(count, progress));
  }

  /** Starts showing the progress of a run; call just before the run starts. Its clock starts here. */
  void start(Source source) {
    this.source = source;
    this.startNanos = System.nanoTime();
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "migo-progress");
      t.setDaemon(true);
      return t;
    });
    long interval = interval();
    timer.scheduleAtFixedRate(this::refresh, interval, interval, TimeUnit.MILLISECONDS);
  }

  long interval() {
    return LINE_INTERVAL_MS;
  }

  /** Shows the counters as they are now; called on the display's own thread. */
  abstract void refresh();

  /** Shows the final state, once the run is over. */
  abstract void finish();

  /** Stops the timer, then shows the final state. */
  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
      try {
        timer.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      finish();
    }
  }

  /** The counters as they are now. */
  Snapshot snapshot() {
    SendProgress now = source.progress().get();
    return new Snapshot(source.total().getAsLong(), now.delivered() + now.partiallyDelivered(),
      now.rejected() + now.failed() + now.unknown(), source.settledApart().getAsLong(),
      (System.nanoTime() - startNanos) / 1e9, source.throttling() ? now : null);
  }

  /**
   * What the display shows: messages in the run (so far), accepted, not accepted, ended without the client, seconds
   * since {@link #start}, and the client's throttling state when it is shown ({@code null} otherwise).
   */
  record Snapshot(long total, long accepted, long failed, long settledApart, double seconds, SendProgress throttling) {

    /** Messages that have ended, one way or another. */
    long done() {
      return accepted + failed + settledApart;
    }

    /** {@code ; rate limit 12.5 msgs/s, 3 sessions, 4 deferred}, or empty when throttling is not shown. */
    String throttlingText() {
      if (throttling == null) {
        return "";
      }
      String limit = throttling.rateLimit() > 0
        ? String.format(Locale.ROOT, "rate limit %.1f msgs/s", throttling.rateLimit()) : "no rate limit";
      return String.format(Locale.ROOT, "; %s, %d sessions, %d deferred", limit, throttling.sessionLimit(),
        throttling.deferred());
    }

    /** The same, short enough for a bar on an 80-column terminal: {@code 12.5/s 3 sess 4 def}. */
    String throttlingShort() {
      if (throttling == null) {
        return "";
      }
      String limit = throttling.rateLimit() > 0
        ? String.format(Locale.ROOT, "%.1f/s", throttling.rateLimit()) : "no limit";
      return String.format(Locale.ROOT, "%s %d sess %d def", limit, throttling.sessionLimit(), throttling.deferred());
    }
  }

  static String rate(long accepted, double seconds) {
    return String.format(Locale.ROOT, "%.0f msgs/s", seconds > 0 ? accepted / seconds : 0.0);
  }

  /** me.tongfei:progressbar on the terminal. */
  private static final class Bar extends ProgressDisplay {
    private final PrintStream terminal;
    private ProgressBar bar;
    private ClosesOnce consumer;

    Bar(PrintStream terminal) {
      this.terminal = terminal;
    }

    @Override
    void start(Source source) {
      long total = source.total().getAsLong();
      bar = new ProgressBarBuilder()
        .setTaskName("sending")
        // -1: a bar of unknown length, until bulk has read its first lines.
        .setInitialMax(total > 0 ? total : -1)
        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
        .setUnit(" msgs", 1)
        .showSpeed()
        .setUpdateIntervalMillis((int) BAR_INTERVAL_MS)
        .setConsumer(consumer = new ClosesOnce(new ConsoleProgressBarConsumer(terminal)))
        .build();
      super.start(source);
    }

    @Override
    long interval() {
      return BAR_INTERVAL_MS;
    }

    @Override
    void refresh() {
      Snapshot now = snapshot();
      if (now.total() > 0 && now.total() != bar.getMax()) {
        bar.maxHint(now.total());
      }
      bar.stepTo(now.done());
      String failed = now.failed() > 0 ? now.failed() + " failed" : "";
      String throttling = now.throttlingShort();
      bar.setExtraMessage(failed.isEmpty() || throttling.isEmpty() ? failed + throttling : failed + ", " + throttling);
    }

    @Override
    void finish() {
      refresh();
      bar.close();
      // progressbar draws the last frame and its newline on its own pool: wait for them, so that nothing printed
      // after the bar (the summary) lands on its line.
      consumer.awaitClosed();
    }
  }

  /**
   * Passes frames on until the first close, and closes once. progressbar's {@code close()} runs its final update on a
   * pool while a periodic update may still be running on another of its threads: both see the bar finished, and the
   * terminal got the last frame and its newline twice (seen in tmux, now and then).
   */
  static final class ClosesOnce implements ProgressBarConsumer {
    /** Generous: the last frame is one line of text; a bar that never closes must not hold the command forever. */
    private static final long CLOSE_WAIT_SECONDS = 30;
    private final ProgressBarConsumer delegate;
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private boolean closed;

    ClosesOnce(ProgressBarConsumer delegate) {
      this.delegate = delegate;
    }

    @Override
    public int getMaxRenderedLength() {
      return delegate.getMaxRenderedLength();
    }

    @Override
    public synchronized void accept(String frame) {
      if (!closed) {
        delegate.accept(frame);
      }
    }

    @Override
    public synchronized void clear() {
      if (!closed) {
        delegate.clear();
      }
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        delegate.close();
        closedLatch.countDown();
      }
    }

    /** Returns once the bar's last frame and newline are written (or after a bound, if they never come). */
    void awaitClosed() {
      try {
        closedLatch.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * One plain line per interval, for logs and pipes: the rate over the last interval (what the relay does now,
   * after the JIT has warmed up) and the average since the start (what the summary will say).
   */
  private static final class Lines extends ProgressDisplay {
    private final PrintWriter out;
    private long lastAccepted;
    private double lastSeconds;

    Lines(PrintWriter out) {
      this.out = out;
    }

    @Override
    void refresh() {
      Snapshot now = snapshot();
      String recent = rate(now.accepted() - lastAccepted, now.seconds() - lastSeconds);
      lastAccepted = now.accepted();
      lastSeconds = now.seconds();
      out.println(String.format(Locale.ROOT, "progress: %d/%d sent, %d failed, %s (average %s)%s", now.accepted(),
        now.total(), now.failed(), recent, rate(now.accepted(), now.seconds()), now.throttlingText()));
      out.flush();
    }

    @Override
    void finish() {
      // The summary follows on stdout; a last line here would repeat it.
    }
  }
}
