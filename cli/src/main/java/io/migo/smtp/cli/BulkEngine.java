package io.migo.smtp.cli;

import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.cluster.ClusterClientOptions;
import io.migo.smtp.cluster.ClusterOptions;
import io.migo.smtp.cluster.ClusterSmtpClient;
import io.migo.smtp.cluster.SmtpCluster;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * What sends a bulk job's messages: a client of its own to the relay ({@link #LOCAL}), or a producer that hands them
 * to the workers of a cluster ({@link #cluster}, {@code bulk --cluster}), whose rate and concurrency are then the
 * budget of the whole cluster.
 */
interface BulkEngine {

  Vertx vertx() throws InterruptedException, ExecutionException;

  /** A client of at most {@code sessions} sessions, created on {@code context}, where its run must then start. */
  SmtpClient client(Vertx vertx, Context context, SmtpClientOptions options, int sessions)
    throws InterruptedException, ExecutionException;

  /** Messages settled by each worker, for the summary; {@code null} when the job ran without a cluster. */
  default Map<String, Long> workers(SmtpClient client) {
    return null;
  }

  BulkEngine LOCAL = new BulkEngine() {
    @Override
    public Vertx vertx() {
      return Vertx.vertx();
    }

    @Override
    public SmtpClient client(Vertx vertx, Context context, SmtpClientOptions options, int sessions)
      throws InterruptedException, ExecutionException {
      return BulkRun.createClient(vertx, context, options, sessions);
    }
  };

  /** A producer in the cluster {@code cluster}; the relay's options are the workers', the rate the cluster's. */
  static BulkEngine cluster(ClusterOptions cluster) {
    return new BulkEngine() {
      @Override
      public Vertx vertx() throws InterruptedException, ExecutionException {
        return SmtpCluster.join(cluster).toCompletionStage().toCompletableFuture().get();
      }

      @Override
      public SmtpClient client(Vertx vertx, Context context, SmtpClientOptions options, int sessions)
        throws InterruptedException, ExecutionException {
        ClusterClientOptions budget = new ClusterClientOptions().setMaxSessions(sessions)
          .setMaxRate(options.getMaxRate());
        return BulkRun.onContext(context, () -> Future.succeededFuture(ClusterSmtpClient.create(vertx, budget)));
      }

      @Override
      public Map<String, Long> workers(SmtpClient client) {
        return ((ClusterSmtpClient) client).settledByWorker();
      }
    };
  }
}
