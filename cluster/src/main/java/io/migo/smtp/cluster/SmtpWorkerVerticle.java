package io.migo.smtp.cluster;

import io.migo.smtp.BulkOptions;
import io.migo.smtp.Mail;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendProgress;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.cluster.impl.Addresses;
import io.migo.smtp.cluster.impl.Codecs;
import io.migo.smtp.cluster.impl.Membership;
import io.migo.smtp.cluster.impl.OutcomeWire;
import io.migo.smtp.cluster.impl.RequestMails;
import io.migo.smtp.cluster.impl.SendRequest;
import io.migo.smtp.cluster.impl.WorkerReport;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A cluster worker: owns an ordinary {@link SmtpClient} and its pool to one relay, takes send requests from its own
 * event-bus address ({@code migo.smtp.worker.<node id>}) and reports on each to the producer that sent it: first
 * "starting", right before the message's first command is written to the relay, then its outcome. A producer that
 * sees a worker leave resends only what it had no "starting" for.
 *
 * <p>Deploy it on a clustered Vertx ({@link SmtpCluster#join}), one per JVM: it announces itself in the
 * cluster-wide map {@code migo.smtp.workers} and on {@code migo.smtp.workers.joined} once it takes requests, and
 * leaves the map when undeployed. The producers bound how many requests it holds at once (their windows), so the
 * verticle itself never refuses work; its pool's size bounds its sessions.
 */
public class SmtpWorkerVerticle extends VerticleBase {

  /** Far above any producer's window: the producers bound the requests, this only keeps sendAll from queueing. */
  private static final int MAX_IN_FLIGHT = 100_000;

  private final SmtpClientOptions clientOptions;
  private final PoolOptions poolOptions;
  private final AtomicLong settled = new AtomicLong();
  private SmtpClient client;
  private String nodeId;
  private MessageConsumer<SendRequest> consumer;
  private AsyncMap<String, String> workers;

  public SmtpWorkerVerticle(SmtpClientOptions clientOptions, PoolOptions poolOptions) {
    this.clientOptions = new SmtpClientOptions(clientOptions);
    this.poolOptions = new PoolOptions(poolOptions);
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    nodeId = Membership.of(vertx).localNodeId();
    client = SmtpClient.create(vertx, clientOptions, poolOptions);
    consumer = vertx.eventBus().consumer(Addresses.worker(nodeId));
    client.sendAll(new RequestMails(consumer, this::refuse), new BulkOptions()
        .setConcurrency(MAX_IN_FLIGHT)
        .setStartListener(this::starting))
      .handler(this::finished);
    return consumer.completion().compose(v -> announce());
  }

  private Future<Void> announce() {
    return vertx.sharedData().<String, String>getAsyncMap(Addresses.WORKERS_MAP)
      .compose(map -> {
        workers = map;
        return map.put(nodeId, Addresses.worker(nodeId));
      })
      .onSuccess(v -> vertx.eventBus().publish(Addresses.WORKER_JOINED, nodeId));
  }

  /** The mail's first command is about to go: its producer must no longer send it elsewhere. */
  private void starting(Mail mail) {
    SendRequest request = (SendRequest) mail.correlationId();
    SendProgress progress = client.progress();
    vertx.eventBus().send(request.replyTo(), new WorkerReport(WorkerReport.Kind.STARTING, request.id(), nodeId,
      null, progress.throttleEvents(), progress.rateLimit()));
  }

  private void finished(SendOutcome outcome) {
    settled.incrementAndGet();
    SendRequest request = (SendRequest) outcome.mail().correlationId();
    report(request, OutcomeWire.toJson(outcome));
  }

  private void refuse(SendRequest request) {
    SmtpException error = new SmtpException(SmtpPhase.INPUT, SmtpException.Reason.INVALID_INPUT,
      "the worker could not read the request (producer and worker of different versions?)");
    report(request, OutcomeWire.refused(error));
  }

  private void report(SendRequest request, JsonObject outcome) {
    SendProgress progress = client.progress();
    vertx.eventBus().send(request.replyTo(), new WorkerReport(WorkerReport.Kind.OUTCOME, request.id(), nodeId,
      outcome, progress.throttleEvents(), progress.rateLimit()));
  }

  /** Messages this worker has finished (any outcome) since it started. */
  public long settled() {
    return settled.get();
  }

  /** The client's counts and pacing, for a worker's own display. */
  public SendProgress progress() {
    return client.progress();
  }

  /** Leaves the map first, so that no producer picks it while its client drains the sends it holds. */
  @Override
  public Future<?> stop() {
    Future<Void> left = workers == null ? Future.succeededFuture() : workers.remove(nodeId).mapEmpty();
    return left.compose(v -> consumer.unregister()).eventually(() -> client.close());
  }
}
