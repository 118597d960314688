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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One run of {@code send} or {@code demo}: a Vert.x instance, a pooled client of {@code concurrency} sessions, the
 * messages streamed through the client's own {@link SmtpClient#sendAll bulk send} into a {@link Summary}, a
 * {@link ProgressDisplay} fed by {@link SmtpClient#progress()}, then an orderly close. Shared so that the commands
 * send, show progress and close the same way ({@code bulk}'s {@link BulkJob} creates and closes its client here
 * too). The window, its backpressure and the classification of each outcome are the library's: the CLI only makes the
 * messages and tallies what comes back.
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
      client = createClient(vertx, context, options, concurrency);
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
      close(client, List.of(), vertx, err);
    }
  }

  /** A client of at most {@code sessions} sessions, created on {@code context}, where its run must then start. */
  static SmtpClient createClient(Vertx vertx, Context context, SmtpClientOptions options, int sessions)
    throws InterruptedException, ExecutionException {
    PoolOptions pool = new PoolOptions().setMaxSize(sessions);
    return onContext(context, () -> Future.succeededFuture(SmtpClient.create(vertx, options, pool)));
  }

  /**
   * Runs {@code action} on {@code context} and waits for the future it returns; for the steps before a run, which the
   * command's thread takes one after the other. The failure of the future is the cause of the ExecutionException.
   */
  static <T> T onContext(Context context, Supplier<Future<T>> action)
    throws InterruptedException, ExecutionException {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        action.get().onComplete(ar -> {
          if (ar.succeeded()) {
            result.complete(ar.result());
          } else {
            result.completeExceptionally(ar.cause());
          }
        });
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result.get();
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
   * QUIT the sessions, then close each of {@code resources} in order (what the run used besides the client: a journal,
   * a metrics server), then stop Vert.x (its threads are not daemons: the JVM would not exit otherwise). A close that
   * fails or does not finish in time is reported but does not change the outcome: the messages are already settled.
   */
  static void close(SmtpClient client, List<Resource> resources, Vertx vertx, PrintWriter err) {
    // The client's close settles what it accepted and then QUITs; whether a QUIT was answered changes nothing.
    Future<Void> closing = client != null ? client.close().transform(ar -> Future.succeededFuture())
      : Future.succeededFuture();
    for (Resource resource : resources) {
      closing = closing.transform(ar -> resource.close().transform(closed -> {
        if (closed.failed()) {
          warn(err, "closing the " + resource.name() + " failed: " + closed.cause().getMessage());
        }
        return Future.<Void>succeededFuture();
      }));
    }
    CompletableFuture<Void> closed = closing
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

  /** Something a run closes after the client and before Vert.x; {@code name} says what in a warning. */
  record Resource(String name, Supplier<Future<Void>> closer) {
    Future<Void> close() {
      try {
        return closer.get();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
  }

  private static void warn(PrintWriter err, String message) {
    err.println("warning: " + message);
    err.flush();
  }
}
