package io.migo.smtp.cli;

import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One run of {@code send} or {@code demo}: a Vert.x instance, a pooled client of {@code concurrency} sessions, a
 * {@link BulkSender} with a {@link ProgressDisplay}, then an orderly close. Shared so that both commands send, show
 * progress and close the same way.
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
  static Summary run(SmtpClientOptions options, int count, int concurrency,
                     Function<SmtpClient, Future<SendResult>> sendOne, ProgressDisplay progress, PrintWriter err)
    throws InterruptedException, ExecutionException {
    Vertx vertx = Vertx.vertx();
    SmtpClient client = null;
    try {
      // The client is created on the context that runs the send window, so that both share one event loop and a
      // completion never has to cross threads.
      Context context = vertx.getOrCreateContext();
      CompletableFuture<SmtpClient> created = new CompletableFuture<>();
      PoolOptions pool = new PoolOptions().setMaxSize(concurrency);
      context.runOnContext(v -> created.complete(SmtpClient.create(vertx, options, pool)));
      client = created.get();
      SmtpClient sender = client;
      BulkSender bulk = new BulkSender(context, count, concurrency, () -> sendOne.apply(sender));
      // The send itself has no deadline here: every step of every session is bounded by the client's own timeouts,
      // so the run ends when the last message is settled.
      try (progress) {
        progress.start(bulk);
        return bulk.run().toCompletionStage().toCompletableFuture().get();
      }
    } finally {
      close(client, vertx, err);
    }
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
