package io.migo.smtp.impl;

import io.migo.smtp.BulkOptions;
import io.migo.smtp.DsnOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.PoolStats;
import io.migo.smtp.RetryPolicy;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SendProgress;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpMetrics;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.ThrottlingRules;
import io.migo.smtp.ThrottlingRules.Kind;
import io.migo.smtp.impl.FailurePolicy.Retry;
import io.migo.smtp.impl.bulk.BulkSend;
import io.migo.smtp.impl.bulk.JournaledSender;
import io.migo.smtp.impl.bulk.ProgressCounter;
import io.migo.smtp.impl.dkim.DkimSigner;
import io.migo.smtp.impl.pacing.Pacer;
import io.migo.smtp.impl.pool.SessionPool;
import io.migo.smtp.impl.protocol.EhloNames;
import io.migo.smtp.impl.session.MailTransaction;
import io.migo.smtp.impl.session.SessionFactory;
import io.migo.smtp.impl.session.SessionSettings;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.mail.MailMessage;

import java.net.InetAddress;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Leases a pooled session per message, runs the transaction, gives the session back. Everything after the
 * caller's thread runs on the client's context.
 */
public final class SmtpClientImpl implements SmtpClient {

  /** Above this estimated size a MailMessage sent from an event loop is MIME-encoded on a worker thread. */
  public static final int ENCODE_INLINE_LIMIT = 256 * 1024;
  /** A deferred message's first wait; each further deferral of it doubles the wait, up to {@link #MAX_DEFER_MS}. */
  static final long FIRST_DEFER_MS = 100;
  static final long MAX_DEFER_MS = 5_000;
  /** A pacing wait shorter than this goes at once: a timer cannot wait less than a millisecond. */
  private static final long PACING_SLACK_NANOS = 500_000;

  private final Vertx vertx;
  private final ClientContext context;
  private final SessionFactory factory;
  private final SessionPool pool;
  private final String hostname;
  private final RetryPolicy retryPolicy;
  private final int poolMaxSize;
  private final ThrottlingRules throttlingRules;
  private final long throttleTimeoutNanos;
  private final ProgressCounter progress = new ProgressCounter();
  private final Pacer pacer;
  private final SmtpMetrics metrics;
  /**
   * Signs every message before it is first attempted (retries resend the signed bytes); {@code null} for none. Kept
   * off an event loop: a signature costs a millisecond or so of CPU (RSA 2048 and the JDK 17 Ed25519 alike;
   * DkimSignBenchmark), which would stall every session on the loop.
   */
  private final DkimSigner signer;
  /**
   * Whether {@link #metrics} records anything: when it does not, a send reads no clock and allocates nothing for it
   * (the one test on the hot path is of this field).
   */
  private final boolean measuring;
  /** Made once: counting a completion allocates nothing of its own. */
  private final Handler<AsyncResult<SendResult>> countOutcome =
    ar -> progress.completed(FailurePolicy.status(ar.result(), ar.cause()));
  private final Handler<AsyncResult<SendResult>> settled = ar -> finished();
  /**
   * Sends accepted and not yet completed, whatever they wait for (encoding, a session, a retry's backoff). Counted
   * on the caller's thread at {@code send()}, so that a {@link #close()} right after it waits for it.
   */
  private final AtomicInteger unfinished = new AtomicInteger();
  private volatile boolean closing;
  /** Completes when the last accepted send has completed after {@link #close()}; confined to the context. */
  private Promise<Void> drained;
  private Future<Void> closed;

  public SmtpClientImpl(Vertx vertx, SmtpClientOptions options, PoolOptions poolOptions) {
    SmtpClientOptions copy = new SmtpClientOptions(Objects.requireNonNull(options, "options"));
    if (copy.getEhloName() != null && !EhloNames.isValid(copy.getEhloName())) {
      throw new IllegalArgumentException("the EHLO name must be a domain or an address literal: "
        + copy.getEhloName().replaceAll("\\p{Cntrl}", "?"));
    }
    this.vertx = vertx;
    this.context = ClientContext.of(vertx);
    this.hostname = copy.getEhloName() != null ? copy.getEhloName() : localHostName();
    this.retryPolicy = copy.getRetryPolicy();
    SessionSettings settings = new SessionSettings(copy, hostname);
    this.factory = new SessionFactory(vertx, context, settings);
    this.throttlingRules = copy.getThrottlingRules();
    this.throttleTimeoutNanos = copy.getThrottleTimeout().toNanos();
    this.metrics = copy.getMetrics();
    this.signer = copy.getDkim() == null ? null : new DkimSigner(copy.getDkim(), Clock.systemUTC());
    this.measuring = metrics != SmtpMetrics.NONE;
    this.pacer = new Pacer(copy.getMaxRate(), System::nanoTime, metrics);
    this.pool = new SessionPool(vertx, context, factory::open, new PoolOptions(poolOptions), throttlingRules, metrics);
    this.poolMaxSize = poolOptions.getMaxSize();
  }

  @Override
  public Future<SendResult> send(MailMessage message) {
    return send(message, DsnOptions.none(), false, new Tries());
  }

  @Override
  public Future<SendResult> send(Mail mail) {
    return send(mail, new Tries());
  }

  private Future<SendResult> send(Mail mail, Tries tries) {
    return mail.isRaw() ? send(mail.envelope(), mail.content(), tries) : send(mail.message(), mail.dsn(), mail.requireTls(), tries);
  }

  private Future<SendResult> send(MailMessage message, DsnOptions dsn, boolean requireTls, Tries tries) {
    SmtpException refused = accept();
    if (refused != null) {
      return Future.failedFuture(refused);
    }
    long acceptedNanos = acceptedNanos();
    return counted(sendMessage(message, dsn, requireTls, tries), acceptedNanos);
  }

  private Future<SendResult> sendMessage(MailMessage message, DsnOptions dsn, boolean requireTls, Tries tries) {
    if (ClientContext.isOnAnEventLoop() && (signer != null || MailMessages.estimatedSize(message) > ENCODE_INLINE_LIMIT)) {
      // MIME-encoding a large message (attachments), or signing one, would stall every session on this loop.
      return vertx.executeBlocking(() -> signed(encode(message, dsn, requireTls)), false)
        .compose(m -> validateAndSend(m, tries));
    }
    OutgoingMessage outgoing;
    try {
      // Otherwise encoded on the caller's thread: cheaper than a hop to a worker for a typical message, and a bulk
      // job that calls from its own threads keeps this work off the event loop altogether.
      outgoing = signed(encode(message, dsn, requireTls));
    } catch (SmtpException e) {
      return Future.failedFuture(e);
    }
    return validateAndSend(outgoing, tries);
  }

  /** Nothing has gone to a server yet, so whatever goes wrong here is the message's fault, never "unknown". */
  private OutgoingMessage encode(MailMessage message, DsnOptions dsn, boolean requireTls) {
    try {
      return MailMessages.toOutgoing(message, EhloNames.isValid(hostname) ? hostname : "localhost", dsn, requireTls);
    } catch (SmtpException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT, "the message cannot be encoded: " + e, e);
    }
  }

  /**
   * The message with its DKIM-Signature field in front, when the client signs: over the content as it is, which the
   * signer reads with the wire's line ends, so the signature holds for the bytes the server receives.
   */
  private OutgoingMessage signed(OutgoingMessage message) {
    if (signer == null) {
      return message;
    }
    try {
      return new OutgoingMessage(message.envelope(), signer.sign(message.content()), message.messageId());
    } catch (SmtpException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT, "the message cannot be DKIM-signed: "
        + e.getMessage(), e);
    }
  }

  @Override
  public Future<SendResult> send(Envelope envelope, Buffer message) {
    return send(envelope, message, new Tries());
  }

  private Future<SendResult> send(Envelope envelope, Buffer message, Tries tries) {
    SmtpException refused = accept();
    if (refused != null) {
      return Future.failedFuture(refused);
    }
    long acceptedNanos = acceptedNanos();
    OutgoingMessage outgoing;
    try {
      outgoing = new OutgoingMessage(envelope, message, null);
      if (signer != null && ClientContext.isOnAnEventLoop()) {
        OutgoingMessage unsigned = outgoing;
        return counted(vertx.executeBlocking(() -> signed(unsigned), false).compose(m -> validateAndSend(m, tries)),
          acceptedNanos);
      }
      outgoing = signed(outgoing);
    } catch (RuntimeException e) {
      return counted(Future.failedFuture(asInputError(e)), acceptedNanos);
    }
    return counted(validateAndSend(outgoing, tries), acceptedNanos);
  }

  /**
   * Takes a send in, or refuses it when the client is closing. The count goes up before the check, so that a
   * {@link #close()} that has seen no send in flight cannot miss one that got past the check.
   */
  private SmtpException accept() {
    unfinished.incrementAndGet();
    if (closing) {
      // Through finished(), not a bare decrement: a close() whose task ran between the two saw this send counted,
      // and only finished() lets it go on.
      finished();
      return closedError();
    }
    progress.submitted();
    return null;
  }

  /** When a send was accepted, for its latency; no clock is read when nothing measures it. */
  private long acceptedNanos() {
    return measuring ? System.nanoTime() : 0L;
  }

  /**
   * One count per completion, by outcome ({@link #progress()} reads them, and the metrics get the same one with the
   * latency since {@code acceptedNanos}); then the send no longer holds close().
   */
  private Future<SendResult> counted(Future<SendResult> send, long acceptedNanos) {
    return send.andThen(measuring ? ar -> countAndMeasure(ar, acceptedNanos) : countOutcome).andThen(settled);
  }

  private void countAndMeasure(AsyncResult<SendResult> ar, long acceptedNanos) {
    Status status = FailurePolicy.status(ar.result(), ar.cause());
    progress.completed(status);
    metrics.messageCompleted(status, System.nanoTime() - acceptedNanos);
  }

  /** The last accepted send after close(): let close() go on (if its task has not run yet, it sees the zero). */
  private void finished() {
    if (unfinished.decrementAndGet() == 0 && closing) {
      context.execute(() -> {
        if (drained != null) {
          drained.tryComplete();
        }
      });
    }
  }

  @Override
  public ReadStream<SendOutcome> sendAll(ReadStream<Mail> mails, BulkOptions options) {
    BulkOptions copy = new BulkOptions(options);
    int concurrency = copy.getConcurrency() == BulkOptions.POOL_SIZE ? poolMaxSize : copy.getConcurrency();
    Consumer<Mail> startListener = copy.getStartListener();
    Function<Mail, Future<SendOutcome>> direct = mail -> sendForOutcome(mail, startListener);
    Function<Mail, Future<SendOutcome>> sender = copy.getJournal() == null ? direct
      : new JournaledSender(context, copy.getJournal(), copy.isResendUnknown(), direct);
    return new BulkSend(context, mails, sender, concurrency, copy.isOrdered());
  }

  /** A send whose failure is an outcome too: the bulk stream never sees a failed future. */
  private Future<SendOutcome> sendForOutcome(Mail mail, Consumer<Mail> startListener) {
    Tries tries = new Tries();
    if (startListener != null) {
      tries.startListener = startListener;
      tries.mail = mail;
    }
    return send(mail, tries).transform(ar -> Future.succeededFuture((ar.succeeded()
      ? SendOutcome.delivered(mail, ar.result())
      : SendOutcome.failed(mail, ar.cause())).withTries(tries.attempts(), tries.deferrals)));
  }

  @Override
  public SendProgress progress() {
    return progress.snapshot(pacer.currentRate(), pool.sessionLimit(), pacer.deferred(),
      pacer.throttleEvents() + pool.absorbedRefusals());
  }

  @Override
  public PoolStats poolStats() {
    return pool.stats();
  }

  /**
   * Graceful: sends accepted before this call are carried out (a waiting one gets a session, a retry still runs),
   * then every session ends with QUIT and the connections close. Sends after this call fail with reason CLOSED.
   */
  @Override
  public Future<Void> close() {
    closing = true;
    return context.submit(() -> {
      if (closed == null) {
        drained = Promise.promise();
        if (unfinished.get() == 0) {
          drained.tryComplete();
        }
        closed = drained.future().compose(v -> pool.close()).eventually(factory::close);
      }
      return closed;
    });
  }

  private Future<SendResult> validateAndSend(OutgoingMessage message, Tries tries) {
    try {
      MailTransaction.validateEnvelope(message.envelope());
    } catch (RuntimeException e) {
      return Future.failedFuture(asInputError(e));
    }
    return context.submit(() -> {
      tries.attempt = 1;
      return attempt(message, tries, true);
    }).recover(SmtpClientImpl::unexpected);
  }

  /** Before anything was sent: an error there is the input's, and the outcome is known (nothing was delivered). */
  private static SmtpException asInputError(RuntimeException e) {
    return e instanceof SmtpException se ? se
      : new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT, String.valueOf(e.getMessage()), e);
  }

  /**
   * An exception the protocol layer did not make (a bug) may have struck after the message went out: it is reported
   * as {@link Reason#INTERNAL}, whose outcome is UNKNOWN, never as a failure that invites a resend.
   */
  private static Future<SendResult> unexpected(Throwable t) {
    return Future.failedFuture(SmtpException.of(t));
  }

  /**
   * How far one message has got: its attempt (in the {@link RetryPolicy}'s sense) and its deferrals, which a bulk
   * send's outcome reports. Made on the caller's thread before the send starts, changed only on the client's
   * context after.
   */
  private static final class Tries {
    /** The attempt under way; 0 while the client's own checks have not let the message go. */
    int attempt;
    /** How often throttling deferred it; 0 until the first deferral. */
    int deferrals;
    /** When throttling first deferred it. */
    long firstDeferralNanos;
    /** The pacer's epoch when the attempt under way was let go: whether a rate refusal of it is news. */
    long pacingEpoch;
    /** Told once, before the first transaction of {@link #mail} starts ({@link BulkOptions#setStartListener}). */
    Consumer<Mail> startListener;
    Mail mail;

    /** The mail's first transaction is about to start: tell the listener, once; a null test when there is none. */
    void starting() {
      if (startListener != null) {
        Consumer<Mail> listener = startListener;
        startListener = null;
        listener.accept(mail);
      }
    }

    int attempts() {
      return attempt;
    }
  }

  /**
   * One attempt, in its turn: the client's pacing (a maximum rate, or a rate lowered by the relay) may make it wait
   * for its slot first, on a timer, or — while a rate refusal has blocked sending — look again later. Without either,
   * it goes at once with no timer.
   *
   * @param mayUseFreshSession whether this attempt may still go again at once on a fresh session
   */
  private Future<SendResult> attempt(OutgoingMessage message, Tries tries, boolean mayUseFreshSession) {
    long wait = pacer.delayNanos();
    if (wait >= 0) {
      tries.pacingEpoch = pacer.epoch();
    }
    if (wait >= 0 && wait < PACING_SLACK_NANOS) {
      return attemptNow(message, tries, mayUseFreshSession);
    }
    boolean reserved = wait >= 0;
    long epoch = tries.pacingEpoch;
    Promise<SendResult> paced = Promise.promise();
    vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.abs(wait))), id -> {
      // A slot reserved before the pacer was blocked (or unblocked: a new rate) is void: its message asks again, as
      // one that found the pacer blocked does.
      boolean slotStands = reserved && pacer.epoch() == epoch;
      (slotStands ? attemptNow(message, tries, mayUseFreshSession) : attempt(message, tries, mayUseFreshSession))
        .onComplete(paced);
    });
    return paced.future();
  }

  /**
   * One attempt on a pooled session, and what {@link FailurePolicy} says to do after its failure: once per attempt a
   * fresh session at once, the next attempt after the retry policy's backoff (on a timer, never blocking the event
   * loop), or, for a throttling refusal, the same attempt again later.
   */
  private Future<SendResult> attemptNow(OutgoingMessage message, Tries tries, boolean mayUseFreshSession) {
    return pool.acquire().compose(session -> {
      if (pacer.epoch() != tries.pacingEpoch) {
        // The relay refused a rate while this message waited for a session: it must ask the pacer again, or every
        // message queued for a session would meet the spent allowance too.
        pool.releaseUnused(session);
        return attempt(message, tries, mayUseFreshSession);
      }
      boolean reused = session.transactions() > 0;
      // Its place on the session: with pipelining the next message may have started on it before this one ends.
      int ordinal = session.transactions() + 1;
      tries.starting();
      return session.send(message)
        .andThen(ar -> {
          pool.release(session, ar.cause(), ordinal);
          if (ar.succeeded()) {
            pacer.accepted(tries.pacingEpoch);
          }
        })
        .recover(t -> afterFailure(message, tries, mayUseFreshSession, t, reused));
    }, t -> afterFailure(message, tries, mayUseFreshSession, t, false));
  }

  private Future<SendResult> afterFailure(OutgoingMessage message, Tries tries, boolean mayUseFreshSession,
                                          Throwable failure, boolean reusedSession) {
    Retry retry = FailurePolicy.retry(failure, reusedSession, throttlingRules);
    if (retry == Retry.DEFER) {
      return defer(message, tries, (SmtpException) failure);
    }
    if (retry == Retry.FRESH_SESSION && mayUseFreshSession) {
      return attempt(message, tries, false);
    }
    long backoff = retry == Retry.BACK_OFF ? retryPolicy.backoffMillis(tries.attempt + 1) : -1;
    if (backoff < 0) {
      // FAIL_OVER too: the session factory has already tried every relay before the failure got here.
      return Future.failedFuture(failure);
    }
    Promise<SendResult> retried = Promise.promise();
    vertx.setTimer(Math.max(1, backoff), id -> {
      tries.attempt++;
      attempt(message, tries, true).onComplete(retried);
    });
    return retried.future();
  }

  /**
   * The relay asked the client to slow down: the pacing learns of it, and the message goes again later — the same
   * attempt, since the relay did not judge the message — unless it has been deferred for longer than the throttle
   * timeout, when it fails with {@link Reason#THROTTLED}. The wait doubles with each deferral of the message, so that
   * a relay refusing every session is not hammered; a message refused for its session's message count goes at once,
   * on a fresh session.
   */
  private Future<SendResult> defer(OutgoingMessage message, Tries tries, SmtpException refusal) {
    Kind kind = FailurePolicy.throttling(refusal, throttlingRules);
    pacer.throttled(refusal, kind, tries.pacingEpoch);
    long now = System.nanoTime();
    if (tries.deferrals == 0) {
      tries.deferrals = 1;
      tries.firstDeferralNanos = now;
      pacer.deferralStarted();
      metrics.deferred(kind);
      return deferAgain(message, tries, kind).andThen(ar -> pacer.deferralEnded());
    }
    if (now - tries.firstDeferralNanos >= throttleTimeoutNanos) {
      return Future.failedFuture(FailurePolicy.throttledTooLong(refusal,
        TimeUnit.NANOSECONDS.toMillis(now - tries.firstDeferralNanos), tries.deferrals));
    }
    tries.deferrals++;
    metrics.deferred(kind);
    return deferAgain(message, tries, kind);
  }

  private Future<SendResult> deferAgain(OutgoingMessage message, Tries tries, Kind kind) {
    if (kind == Kind.SESSION_MESSAGE_LIMIT && tries.deferrals == 1) {
      return attempt(message, tries, true);
    }
    long waitMs = Math.min(MAX_DEFER_MS, FIRST_DEFER_MS << Math.min(tries.deferrals - 1, 16));
    Promise<SendResult> later = Promise.promise();
    vertx.setTimer(waitMs, id -> attempt(message, tries, true).onComplete(later));
    return later.future();
  }

  private static SmtpException closedError() {
    return new SmtpException(SmtpPhase.CONNECT, Reason.CLOSED, "the client is closed");
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return null;
    }
  }
}
