package io.migo.smtp.cluster;

import io.migo.smtp.BulkOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.migo.smtp.PoolStats;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendProgress;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.impl.ClientContext;
import io.migo.smtp.impl.bulk.BulkSend;
import io.migo.smtp.impl.bulk.JournaledSender;
import io.migo.smtp.cluster.impl.Producer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.mail.MailMessage;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * An {@link SmtpClient} that sends nothing itself: a producer that hands each message to a cluster worker
 * ({@link SmtpWorkerVerticle}) and reports the worker's outcome. Its rate and sessions
 * ({@link ClusterClientOptions}) are the budget of the whole cluster, split among the live workers.
 *
 * <p>Guarantees: a message a worker had not started (no "starting" report) when it left the cluster goes to another
 * worker; one it had started ends {@link SendOutcome.Status#UNKNOWN} and is never sent again. While no worker is
 * alive, messages wait. {@code sendAll} with a {@link BulkOptions#setJournal journal} journals on the producer as
 * the ordinary client does, so a restarted producer resumes the job. Works under the Mutiny facade unchanged.
 */
public final class ClusterSmtpClient implements SmtpClient {

  private final ClientContext context;
  private final Producer producer;
  private final int maxSessions;

  private ClusterSmtpClient(Vertx vertx, ClusterClientOptions options) {
    this.context = ClientContext.of(vertx);
    this.producer = new Producer(vertx, options);
    this.maxSessions = options.getMaxSessions();
  }

  /** A producer on a clustered Vertx ({@link SmtpCluster#join}). */
  public static ClusterSmtpClient create(Vertx vertx, ClusterClientOptions options) {
    return new ClusterSmtpClient(vertx, new ClusterClientOptions(options));
  }

  @Override
  public Future<SendResult> send(MailMessage message) {
    return send(Mail.of(message));
  }

  @Override
  public Future<SendResult> send(Envelope envelope, Buffer message) {
    return send(Mail.raw(envelope, message));
  }

  @Override
  public Future<SendResult> send(Mail mail) {
    return producer.submit(mail).compose(ClusterSmtpClient::asResult);
  }

  private static Future<SendResult> asResult(SendOutcome outcome) {
    return outcome.isDelivered() ? Future.succeededFuture(outcome.result()) : Future.failedFuture(outcome.error());
  }

  /**
   * As {@link SmtpClient#sendAll}; {@link BulkOptions#POOL_SIZE} means twice the cluster's sessions, so that a
   * worker's window is refilled from the queue the moment a message ends.
   */
  @Override
  public ReadStream<SendOutcome> sendAll(ReadStream<Mail> mails, BulkOptions options) {
    BulkOptions copy = new BulkOptions(options);
    int concurrency = copy.getConcurrency() == BulkOptions.POOL_SIZE ? 2 * maxSessions : copy.getConcurrency();
    Function<Mail, Future<SendOutcome>> direct = producer::submit;
    Function<Mail, Future<SendOutcome>> sender = copy.getJournal() == null ? direct
      : new JournaledSender(context, copy.getJournal(), copy.isResendUnknown(), direct);
    return new BulkSend(context, mails, sender, concurrency, copy.isOrdered());
  }

  @Override
  public SendProgress progress() {
    return producer.progress();
  }

  /** The cluster's sessions as this producer sees them: its budget, the messages workers hold, those waiting. */
  @Override
  public PoolStats poolStats() {
    return new PoolStats(maxSessions, producer.held(), 0, producer.waiting(), 0, Map.of());
  }

  /** Messages each worker has settled for this producer, by node id (workers gone since included). */
  public Map<String, Long> settledByWorker() {
    return producer.settledByWorker();
  }

  /** The node ids of the workers this producer dispatches to now. */
  public Future<Set<String>> workers() {
    return producer.workers();
  }

  /** Waits for every message submitted before to end; the workers and the Vertx stay as they are. */
  @Override
  public Future<Void> close() {
    return producer.close();
  }
}
