package io.migo.smtp.cli;

import io.migo.smtp.BulkOptions;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;

import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of {@code send} or {@code demo}: a Vert.x instance, a pooled client of {@code concurrency} sessions, the
 * messages streamed through the client's own {@link SmtpClient#sendAll bulk send} into a {@link Summary}, a
 * {@link ProgressDisplay} fed by {@link SmtpClient#progress()}, then an orderly close. Shared so that both commands
 * send, show progress and close the same way. The window, its backpressure and the classification of each outcome
 * are the library's: the CLI only makes the messages and tallies what comes back.
 */
final class BulkRun {

  /** How long closing (QUIT on every session, then Vert.x) may take before the command gives up waiting. */
  static final long CLOSE_TIMEOUT_SECONDS = 10;

  private BulkRun() {
  }

  /**
   * Sends {@code count} messages, {@code concurrency} at a time, and returns the tally once every one is settled and
   * the client is closed. Warnings about closing go to {@code err}.
   */
  static Summary run(SmtpClientOptions options, int count, int concurrency, MessageFactory messages,
                     ProgressDisplay progress, PrintWriter err) throws InterruptedException, ExecutionException {
    Vertx vertx = Vertx.vertx();
    SmtpClient client = null;
    try {
      // The client is created on a context of its own and the run is started there: the bulk send, the message
      // source and the summary then share the client's event loop, and no outcome has to cross threads.
      Context context = vertx.getOrCreateContext();
      CompletableFuture<SmtpClient> created = new CompletableFuture<>();
      PoolOptions pool = new PoolOptions().setMaxSize(concurrency);
      context.runOnContext(v -> created.complete(SmtpClient.create(vertx, options, pool)));
      client = created.get();
      SmtpClient sender = client;
      CompletableFuture<Summary> done = new CompletableFuture<>();
      // The send itself has no deadline here: every step of every session is bounded by the client's own timeouts,
      // so the run ends when the last message is settled.
      try (progress) {
        progress.start(count, sender::progress);
        context.runOnContext(v -> start(sender, messages, count, concurrency, done));
        return done.get();
      }
    } finally {
      close(client, vertx, err);
    }
  }

  /**
   * Pipes the messages through {@code sendAll} into a summary, on the client's context. The summary's time runs from
   * here, just before the first message is asked for, to the last outcome.
   */
  private static void start(SmtpClient client, MessageFactory messages, int count, int concurrency,
                            CompletableFuture<Summary> done) {
    Summary summary = new Summary(count);
    long startNanos = System.nanoTime();
    ReadStream<SendOutcome> outcomes = client.sendAll(new MailSource(messages::mail, count),
      new BulkOptions().setConcurrency(concurrency));
    // The source cannot fail, so an exception here is the library's own: end the run with it rather than hang.
    outcomes.exceptionHandler(done::completeExceptionally);
    outcomes.endHandler(v -> {
      summary.finish((System.nanoTime() - startNanos) / 1e9);
      done.complete(summary);
    });
    outcomes.handler(summary::record);
  }

  /**
   * QUIT the sessions, then stop Vert.x (its threads are not daemons: the JVM would not exit otherwise). A close
   * that does not finish in time is reported but does not change the outcome: the messages are already settled.
   */
  private static void close(SmtpClient client, Vertx vertx, PrintWriter err) {
    Future<Void> clientClosed = client != null ? client.close() : Future.succeededFuture();
    CompletableFuture<Void> closed = clientClosed
      .transform(ar -> vertx.close())
      .toCompletionStage().toCompletableFuture();
    try {
      closed.get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      warn(err, "closing did not finish within " + CLOSE_TIMEOUT_SECONDS + " s");
    } catch (ExecutionException e) {
      warn(err, "closing failed: " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void warn(PrintWriter err, String message) {
    err.println("warning: " + message);
    err.flush();
  }
}
