package io.migo.smtp.cli;

import io.migo.smtp.PoolOptions;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.cluster.ClusterOptions;
import io.migo.smtp.cluster.SmtpCluster;
import io.migo.smtp.cluster.SmtpWorkerVerticle;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code migo-smtp worker}: joins a migo cluster and sends, through its own pool to the relay, the messages producers
 * ({@code bulk --cluster}) hand it, until it is stopped (SIGTERM or SIGINT: it leaves the cluster after the messages it
 * holds have ended).
 */
@Command(name = "worker",
  sortOptions = false,
  description = {"Joins a migo cluster as a worker: sends the messages that producers (bulk --cluster) hand it, "
    + "through its own sessions to the relay, until stopped.",
    "Prints 'worker NODE_ID ready' on stdout once it takes work."})
final class WorkerCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  RelayOptions relay;

  @Mixin
  ClusterArgs cluster;

  @Mixin
  DkimSigningOptions dkim;

  @Option(names = "--pool-size", order = 40, paramLabel = "N", defaultValue = "8",
    description = "Sessions this worker may open to the relay at most (default: ${DEFAULT-VALUE}); the producers' "
      + "--concurrency, split among the workers, decides how many it uses.")
  int poolSize;

  @Option(names = {"-h", "--help"}, order = 81, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  private final Function<String, String> environment;

  WorkerCommand(Function<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws Exception {
    relay.check();
    dkim.check();
    if (poolSize < 1) {
      throw new ParameterException(spec.commandLine(), "--pool-size must be at least 1, was " + poolSize);
    }
    ClusterOptions clusterOptions = cluster.options();
    SmtpClientOptions options = dkim.applyTo(relay.clientOptions(environment));
    Vertx vertx = SmtpCluster.join(clusterOptions).toCompletionStage().toCompletableFuture().get();
    String deployment = vertx.deployVerticle(new SmtpWorkerVerticle(options, new PoolOptions().setMaxSize(poolSize)))
      .toCompletionStage().toCompletableFuture().get();
    PrintWriter out = spec.commandLine().getOut();
    out.println("worker " + SmtpCluster.nodeId(vertx) + " ready");
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.undeploy(deployment).eventually(vertx::close).toCompletionStage().toCompletableFuture()
          .get(BulkRun.CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        // leaving late or badly changes nothing for the producers: they see this member go either way
      } finally {
        stopped.countDown();
      }
    }, "migo-smtp-worker-stop"));
    stopped.await();
    return 0;
  }
}
