package io.migo.smtp.cli;

import io.migo.smtp.BulkJournal;
import io.migo.smtp.BulkOptions;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run of {@code bulk}. Before anything is sent, on the command's thread, one step after the other: the outcomes
 * file, the journal, the metrics server, then a client of {@code concurrency} sessions ({@link BulkRun}); any of them
 * failing ends the job there. Then, on the client's context, the input streams through the client's
 * {@link SmtpClient#sendAll bulk send} with its backpressure ({@link BulkInput}), each outcome, and each line that is
 * not a message, going to the {@link BulkSummary} and the outcomes file as it arrives. At the end the outcomes file
 * is written out, then the client, the journal and the metrics server are closed, in that order, then Vert.x.
 */
final class BulkJob {

  /**
   * What the job uses besides the relay's options.
   *
   * @param outcomes      the outcomes file, or {@code null} for none
   * @param journal       the journal file, or {@code null} for none
   * @param resendUnknown send again what the journal shows in flight or UNKNOWN
   * @param metricsPort   where to serve the meters, or {@code null} for nowhere
   * @param concurrency   messages in flight at once, and sessions at most
   */
  record Settings(Path outcomes, Path journal, boolean resendUnknown, Integer metricsPort, int concurrency) {
  }

  private final BulkEngine engine;
  private final Context context;
  private final SmtpClient client;
  private final InputReader reader;
  private final OutcomesFile outcomes;
  private final BulkOptions bulkOptions;
  private final ProgressDisplay progress;
  private final BulkSummary summary = new BulkSummary();
  /** Lines that ended without the client (invalid, skipped), for the progress display's thread. */
  private final AtomicLong settledApart = new AtomicLong();
  private final CompletableFuture<BulkSummary> done = new CompletableFuture<>();
  private long startNanos;

  private BulkJob(BulkEngine engine, Context context, SmtpClient client, InputReader reader, OutcomesFile outcomes,
                  BulkOptions bulkOptions, ProgressDisplay progress) {
    this.engine = engine;
    this.context = context;
    this.client = client;
    this.reader = reader;
    this.outcomes = outcomes;
    this.bulkOptions = bulkOptions;
    this.progress = progress;
  }

  /**
   * Runs the job and returns its tally once every line is settled and everything is closed. A step before the
   * sending that fails (the outcomes file cannot be written, no journal, no metrics) is thrown as it failed.
   */
  static BulkSummary run(SmtpClientOptions options, Settings settings, InputReader reader, ProgressDisplay progress,
                         PrintWriter err) throws InterruptedException {
    return run(BulkEngine.LOCAL, options, settings, reader, progress, err);
  }

  /** As {@link #run(SmtpClientOptions, Settings, InputReader, ProgressDisplay, PrintWriter)}, sent by {@code engine}. */
  static BulkSummary run(BulkEngine engine, SmtpClientOptions options, Settings settings, InputReader reader,
                         ProgressDisplay progress, PrintWriter err) throws InterruptedException {
    Vertx vertx;
    try {
      vertx = engine.vertx();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
    Context context = vertx.getOrCreateContext();
    SmtpClient client = null;
    List<BulkRun.Resource> resources = new ArrayList<>();
    try {
      OutcomesFile outcomes = null;
      if (settings.outcomes() != null) {
        outcomes = BulkRun.onContext(context, () -> OutcomesFile.open(vertx, settings.outcomes()));
        // Closed at the end of the job, where a failure to write it is reported; this is for a job that failed.
        resources.add(new BulkRun.Resource("outcomes file", outcomes::close));
      }
      BulkOptions bulkOptions = new BulkOptions()
        .setConcurrency(settings.concurrency())
        .setResendUnknown(settings.resendUnknown());
      if (settings.journal() != null) {
        BulkJournal journal = BulkRun.onContext(context, () -> JournalOpener.open(vertx, settings.journal()));
        resources.add(new BulkRun.Resource("journal", journal::close));
        bulkOptions.setJournal(journal);
      }
      SmtpClientOptions clientOptions = options;
      MetricsServer metrics = null;
      if (settings.metricsPort() != null) {
        metrics = BulkRun.onContext(context, () -> MetricsServer.start(vertx, settings.metricsPort()));
        resources.add(new BulkRun.Resource("metrics server", metrics::close));
        clientOptions = metrics.instrument(options);
      }
      client = engine.client(vertx, context, clientOptions, settings.concurrency());
      if (metrics != null) {
        metrics.bind(client);
      }
      BulkJob job = new BulkJob(engine, context, client, reader, outcomes, bulkOptions, progress);
      // No deadline: every step of every session is bounded by the client's own timeouts, and the input by its end.
      try (progress) {
        context.runOnContext(v -> job.start());
        return job.done.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } finally {
      // The journal only after the client: a message still settling records its outcome in it.
      BulkRun.close(client, resources, vertx, err);
    }
  }

  /** On the client's context: the time starts here, just before the first line is read. */
  private void start() {
    BulkInput input = new BulkInput(context, reader, this::onInvalid);
    progress.start(new ProgressDisplay.Source(input::entries, settledApart::get, client::progress, true));
    startNanos = System.nanoTime();
    ReadStream<SendOutcome> sent = client.sendAll(input, bulkOptions);
    // The input could not be read to its end: the job stops taking lines, the messages in flight settle, then the
    // stream ends.
    sent.exceptionHandler(e -> summary.recordProblem(e.getMessage() != null ? e.getMessage() : e.toString()));
    sent.endHandler(v -> finish());
    sent.handler(this::onOutcome);
  }

  private void onInvalid(InputParser.Invalid line) {
    summary.recordInvalid(line);
    settledApart.incrementAndGet();
    if (outcomes != null) {
      outcomes.append(OutcomeLine.invalid(line));
    }
  }

  private void onOutcome(SendOutcome outcome) {
    summary.record(outcome);
    if (outcome.status() == SendOutcome.Status.SKIPPED) {
      settledApart.incrementAndGet();
    }
    if (outcomes != null) {
      outcomes.append(OutcomeLine.of(outcome));
    }
  }

  private void finish() {
    summary.finish((System.nanoTime() - startNanos) / 1e9, client.progress().throttleEvents());
    summary.workers(engine.workers(client));
    Future<Void> written = outcomes != null ? outcomes.close() : Future.succeededFuture();
    written.onComplete(ar -> {
      if (ar.failed()) {
        summary.recordProblem(ar.cause().getMessage());
      }
      done.complete(summary);
    });
  }
}
