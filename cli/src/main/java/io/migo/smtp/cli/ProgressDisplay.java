package io.migo.smtp.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows how a {@link BulkSender} run is going, on stderr only (stdout is for the result, one JSON line with
 * {@code --json}): a progress bar when stderr is a terminal, else one plain line every {@value #LINE_INTERVAL_MS} ms
 * (sent, failed, rate), which reads well in a CI log. A daemon thread polls the sender's counters, so the send
 * path does no extra work for the display.
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
      void start(BulkSender sender) {
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

  private ScheduledExecutorService timer;
  BulkSender sender;

  /** Starts showing {@code sender}'s progress; call before or right after its {@code run()}. */
  void start(BulkSender sender) {
    this.sender = sender;
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

  static String rate(int accepted, double seconds) {
    return String.format(Locale.ROOT, "%.0f msgs/s", seconds > 0 ? accepted / seconds : 0.0);
  }

  /** me.tongfei:progressbar on the terminal. */
  private static final class Bar extends ProgressDisplay {
    private final PrintStream terminal;
    private ProgressBar bar;

    Bar(PrintStream terminal) {
      this.terminal = terminal;
    }

    @Override
    void start(BulkSender sender) {
      bar = new ProgressBarBuilder()
        .setTaskName("sending")
        .setInitialMax(sender.count())
        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
        .setUnit(" msgs", 1)
        .showSpeed()
        .setUpdateIntervalMillis((int) BAR_INTERVAL_MS)
        .setConsumer(new ClosesOnce(new ConsoleProgressBarConsumer(terminal)))
        .build();
      super.start(sender);
    }

    @Override
    long interval() {
      return BAR_INTERVAL_MS;
    }

    @Override
    void refresh() {
      int accepted = sender.acceptedSoFar();
      int failed = sender.failedSoFar();
      bar.stepTo(accepted + failed);
      bar.setExtraMessage(failed > 0 ? failed + " failed" : "");
    }

    @Override
    void finish() {
      refresh();
      bar.close();
    }
  }

  /**
   * Passes frames on until the first close, and closes once. progressbar's {@code close()} runs its final update on a
   * pool while a periodic update may still be running on another of its threads: both see the bar finished, and the
   * terminal got the last frame and its newline twice (seen in tmux, now and then).
   */
  static final class ClosesOnce implements ProgressBarConsumer {
    private final ProgressBarConsumer delegate;
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
      }
    }
  }

  /**
   * One plain line per interval, for logs and pipes: the rate over the last interval (what the relay does now,
   * after the JIT has warmed up) and the average since the start (what the summary will say).
   */
  private static final class Lines extends ProgressDisplay {
    private final PrintWriter out;
    private int lastAccepted;
    private double lastSeconds;

    Lines(PrintWriter out) {
      this.out = out;
    }

    @Override
    void refresh() {
      int accepted = sender.acceptedSoFar();
      int failed = sender.failedSoFar();
      double seconds = sender.elapsedSeconds();
      String now = rate(accepted - lastAccepted, seconds - lastSeconds);
      lastAccepted = accepted;
      lastSeconds = seconds;
      out.println(String.format(Locale.ROOT, "progress: %d/%d sent, %d failed, %s (average %s)", accepted,
        sender.count(), failed, now, rate(accepted, seconds)));
      out.flush();
    }

    @Override
    void finish() {
      // The summary follows on stdout; a last line here would repeat it.
    }
  }
}
