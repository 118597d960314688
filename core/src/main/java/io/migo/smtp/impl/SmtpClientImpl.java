package io.migo.smtp.impl;

import io.migo.smtp.BulkOptions;
import io.migo.smtp.DsnOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.PoolStats;
import io.migo.smtp.RetryPolicy;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendProgress;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.impl.bulk.BulkSend;
import io.migo.smtp.impl.bulk.OutcomeClassifier;
import io.migo.smtp.impl.bulk.ProgressCounter;
import io.migo.smtp.impl.pool.SessionPool;
import io.migo.smtp.impl.protocol.EhloNames;
import io.migo.smtp.impl.session.MailTransaction;
import io.migo.smtp.impl.session.SessionFactory;
import io.migo.smtp.impl.session.SessionSettings;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.mail.MailMessage;

import java.net.InetAddress;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Leases a pooled session per message, runs the transaction, gives the session back. Everything after the
 * caller's thread runs on the client's context.
 */
public final class SmtpClientImpl implements SmtpClient {

  /** Above this estimated size a MailMessage sent from an event loop is MIME-encoded on a worker thread. */
  static final int ENCODE_INLINE_LIMIT = 256 * 1024;

  private final Vertx vertx;
  private final Context context;
  /** The context's thread, learned on its first task; until then every call hops. */
  private volatile Thread eventLoop;
  private final SessionFactory factory;
  private final SessionPool pool;
  private final String hostname;
  private final RetryPolicy retryPolicy;
  private final int poolMaxSize;
  private final ProgressCounter progress = new ProgressCounter();
  /** Made once: counting a completion allocates nothing of its own. */
  private final Handler<AsyncResult<SendResult>> countOutcome =
    ar -> progress.completed(OutcomeClassifier.status(ar.result(), ar.cause()));

  public SmtpClientImpl(Vertx vertx, SmtpClientOptions options, PoolOptions poolOptions) {
    SmtpClientOptions copy = new SmtpClientOptions(Objects.requireNonNull(options, "options"));
    if (copy.getEhloName() != null && !EhloNames.isValid(copy.getEhloName())) {
      throw new IllegalArgumentException("the EHLO name must be a domain or an address literal: "
        + copy.getEhloName().replaceAll("\\p{Cntrl}", "?"));
    }
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    context.runOnContext(v -> eventLoop = Thread.currentThread());
    this.hostname = copy.getEhloName() != null ? copy.getEhloName() : localHostName();
    this.retryPolicy = copy.getRetryPolicy();
    SessionSettings settings = new SessionSettings(copy, hostname);
    this.factory = new SessionFactory(vertx, settings);
    this.pool = new SessionPool(vertx, factory::open, new PoolOptions(poolOptions));
    this.poolMaxSize = poolOptions.getMaxSize();
  }

  @Override
  public Future<SendResult> send(MailMessage message) {
    return send(message, DsnOptions.none());
  }

  @Override
  public Future<SendResult> send(Mail mail) {
    return mail.isRaw() ? send(mail.envelope(), mail.content()) : send(mail.message(), mail.dsn());
  }

  private Future<SendResult> send(MailMessage message, DsnOptions dsn) {
    progress.submitted();
    return counted(sendMessage(message, dsn));
  }

  private Future<SendResult> sendMessage(MailMessage message, DsnOptions dsn) {
    if (Context.isOnEventLoopThread() && MailMessages.estimatedSize(message) > ENCODE_INLINE_LIMIT) {
      // MIME-encoding a large message (attachments) would stall every session on this event loop.
      return vertx.executeBlocking(() -> encode(message, dsn), false).compose(this::validateAndSend);
    }
    OutgoingMessage outgoing;
    try {
      // Otherwise encoded on the caller's thread: cheaper than a hop to a worker for a typical message, and a bulk
      // job that calls from its own threads keeps this work off the event loop altogether.
      outgoing = encode(message, dsn);
    } catch (SmtpException e) {
      return Future.failedFuture(e);
    }
    return validateAndSend(outgoing);
  }

  private OutgoingMessage encode(MailMessage message, DsnOptions dsn) {
    return MailMessages.toOutgoing(message, EhloNames.isValid(hostname) ? hostname : "localhost", dsn);
  }

  @Override
  public Future<SendResult> send(Envelope envelope, Buffer message) {
    progress.submitted();
    return counted(validateAndSend(new OutgoingMessage(envelope, message, null)));
  }

  /** One count per completion, by outcome; {@link #progress()} reads them. */
  private Future<SendResult> counted(Future<SendResult> send) {
    return send.andThen(countOutcome);
  }

  @Override
  public ReadStream<SendOutcome> sendAll(ReadStream<Mail> mails, BulkOptions options) {
    BulkOptions copy = new BulkOptions(options);
    int concurrency = copy.getConcurrency() == BulkOptions.POOL_SIZE ? poolMaxSize : copy.getConcurrency();
    return new BulkSend(context, mails, this::sendForOutcome, concurrency, copy.isOrdered());
  }

  /** A send whose failure is an outcome too: the bulk stream never sees a failed future. */
  private Future<SendOutcome> sendForOutcome(Mail mail) {
    return send(mail).transform(ar -> Future.succeededFuture(ar.succeeded()
      ? SendOutcome.delivered(mail, ar.result())
      : SendOutcome.failed(mail, ar.cause())));
  }

  @Override
  public SendProgress progress() {
    return progress.snapshot();
  }

  @Override
  public PoolStats poolStats() {
    return pool.stats();
  }

  @Override
  public Future<Void> close() {
    return onContext(() -> pool.close().eventually(factory::close));
  }

  private Future<SendResult> validateAndSend(OutgoingMessage message) {
    try {
      MailTransaction.validateEnvelope(message.envelope());
    } catch (SmtpException e) {
      return Future.failedFuture(e);
    }
    return onContext(() -> sendWithRetries(message, 1));
  }

  /** Runs attempts as the retry policy allows; each waits its backoff on a timer, never blocking the event loop. */
  private Future<SendResult> sendWithRetries(OutgoingMessage message, int attempt) {
    return sendOnPool(message, true).recover(t -> {
      long backoff = retryPolicy.backoffMillis(attempt + 1, t);
      if (backoff < 0) {
        return Future.failedFuture(t);
      }
      Promise<SendResult> retried = Promise.promise();
      vertx.setTimer(Math.max(1, backoff), id -> sendWithRetries(message, attempt + 1).onComplete(retried));
      return retried.future();
    });
  }

  private Future<SendResult> sendOnPool(OutgoingMessage message, boolean mayRetry) {
    return pool.acquire().compose(session -> {
      boolean reused = session.transactions() > 0;
      return session.send(message)
        .andThen(ar -> pool.release(session))
        .recover(t -> mayRetry && diedBeforeData(t) && (reused || isShuttingDown(t))
          ? sendOnPool(message, false)
          : Future.failedFuture(t));
    });
  }

  /** 421: this session is going away (RFC 5321 §3.8), whether or not it was reused; a fresh one may do better. */
  private static boolean isShuttingDown(Throwable t) {
    return t instanceof SmtpException e && e.replyCode() == 421;
  }

  /**
   * A reused session can die under us: the server timed it out or shut down (421) just as a message began. If that
   * happened before any content was written, the server has nothing of the message, so one retry on a fresh
   * session is safe and delivers nothing twice.
   */
  private static boolean diedBeforeData(Throwable t) {
    if (!(t instanceof SmtpException e)) {
      return false;
    }
    boolean beforeData = switch (e.phase()) {
      case RSET, MAIL, RCPT, DATA -> true;
      default -> false;
    };
    return beforeData && (e.reason() == Reason.CONNECTION || e.replyCode() == 421);
  }

  /** Runs on the client's event loop: inline when already there (on its context or a duplicate), else by a hop. */
  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    if (Thread.currentThread() == eventLoop) {
      return action.get();
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return null;
    }
  }
}
