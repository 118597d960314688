package io.migo.smtp.impl.bulk;

import io.migo.smtp.BulkJournal;
import io.migo.smtp.JournalEntry;
import io.migo.smtp.Mail;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.impl.ClientContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A bulk send's per-mail sender with a {@link BulkJournal} around it: what earlier runs recorded decides whether a
 * mail goes at all, a mail's start is durable before the mail is handed to the client, and its outcome is durable
 * before it is emitted. {@link #verdict} is the one place that reads a journal entry.
 *
 * <p>Confined to the client's context, like the {@link BulkSend} that calls it: the journal's futures may complete
 * on any thread (a writer thread), so every step after one of them hops back first.
 *
 * <p>Only the mails actually handed to the client are sends in {@link io.migo.smtp.SmtpClient#progress()}'s sense:
 * an outcome decided here without sending (SKIPPED, UNKNOWN in flight before, a missing or repeated id, a journal
 * that failed) is counted by no one but the caller who reads the outcomes.
 */
public final class JournaledSender implements Function<Mail, Future<SendOutcome>> {

  private static final System.Logger LOG = System.getLogger(JournaledSender.class.getName());

  private final ClientContext context;
  private final BulkJournal journal;
  private final boolean resendUnknown;
  private final Function<Mail, Future<SendOutcome>> send;

  // Confined to the context.
  /** What earlier runs recorded, completed on the context; read once, at the first mail. */
  private Future<Map<String, JournalEntry>> entries;
  /** Every id this send has seen, sent or not: a second mail with one of them is refused. */
  private final Set<String> seen = new HashSet<>();

  /** What to do with a mail, from what the journal holds for its id. */
  enum Verdict {
    /** Never started, or ended FAILED (safe to retry), or left unknown and the caller chose to resend it. */
    SEND,
    /** Ended in a way sending again cannot improve (delivered, partially delivered, rejected): SKIPPED. */
    SKIP,
    /** In flight when an earlier run stopped, or ended UNKNOWN: it may have been delivered, so it is not sent. */
    MAYBE_DELIVERED
  }

  public JournaledSender(ClientContext context, BulkJournal journal, boolean resendUnknown,
                         Function<Mail, Future<SendOutcome>> send) {
    this.context = context;
    this.journal = journal;
    this.resendUnknown = resendUnknown;
    this.send = send;
  }

  /**
   * The mail's id is checked at once, in arrival order (so that of two mails with one id the first is the one
   * sent); the journal's verdict waits for the journal to be read.
   */
  @Override
  public Future<SendOutcome> apply(Mail mail) {
    context.check();
    if (mail.correlationId() == null) {
      return refused(mail, "a bulk send with a journal needs a correlation id on every mail: " + mail);
    }
    String id = String.valueOf(mail.correlationId());
    if (!seen.add(id)) {
      return refused(mail, "the correlation id " + id + " was already used by an earlier mail of this bulk send");
    }
    if (entries == null) {
      entries = load();
    }
    return entries.transform(ar -> ar.succeeded()
      ? decide(mail, id, ar.result().get(id))
      : journalFailed(mail, "the journal could not be read, nothing was sent", ar.cause()));
  }

  /** The journal's contents, completed on the context, so that the mails waiting for them resume there in order. */
  private Future<Map<String, JournalEntry>> load() {
    Promise<Map<String, JournalEntry>> loaded = Promise.promise();
    Future<Map<String, JournalEntry>> reading;
    try {
      reading = journal.load();
    } catch (RuntimeException e) {
      reading = Future.failedFuture(e);
    }
    reading.onComplete(ar -> context.execute(() -> loaded.handle(ar)));
    return loaded.future();
  }

  private Future<SendOutcome> decide(Mail mail, String id, JournalEntry entry) {
    return switch (verdict(entry, resendUnknown)) {
      case SKIP -> Future.succeededFuture(SendOutcome.skipped(mail, entry));
      case MAYBE_DELIVERED -> Future.succeededFuture(inFlightBefore(mail, entry));
      case SEND -> startThenSend(mail, id);
    };
  }

  /** The one reading of a journal entry. */
  static Verdict verdict(JournalEntry entry, boolean resendUnknown) {
    if (entry == null || entry.status() == Status.FAILED) {
      return Verdict.SEND;
    }
    if (entry.inFlight() || entry.status() == Status.UNKNOWN) {
      return resendUnknown ? Verdict.SEND : Verdict.MAYBE_DELIVERED;
    }
    return Verdict.SKIP;
  }

  /** Nothing of the mail goes to the client before its start is durable; then its outcome is, before it is emitted. */
  private Future<SendOutcome> startThenSend(Mail mail, String id) {
    Promise<SendOutcome> outcome = Promise.promise();
    record(() -> journal.started(id)).onComplete(ar -> context.execute(() -> {
      if (ar.failed()) {
        outcome.complete(journalFailedOutcome(mail, "the journal could not record the start of " + id
          + ", so it was not sent", ar.cause()));
        return;
      }
      sendThenFinish(mail, id).onComplete(outcome);
    }));
    return outcome.future();
  }

  private Future<SendOutcome> sendThenFinish(Mail mail, String id) {
    return record(() -> send.apply(mail)).compose(sent -> record(() -> journal.finished(id, sent)).transform(ar -> {
      if (ar.failed()) {
        // The start is durable and this end is not: a later run finds the id in flight and reports it UNKNOWN
        // without sending it, which is safe. The caller still gets what really happened.
        LOG.log(System.Logger.Level.WARNING, "the journal could not record the outcome of " + id + " ("
          + sent.status() + "); a later run with this journal will report it UNKNOWN", ar.cause());
      }
      return Future.succeededFuture(sent);
    }));
  }

  /** A call whose exception, if it throws instead of failing its future, becomes that failure (never lost). */
  private static <T> Future<T> record(Supplier<Future<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static SendOutcome inFlightBefore(Mail mail, JournalEntry entry) {
    String how = entry.inFlight() ? "was in flight when an earlier run stopped" : "ended UNKNOWN in an earlier run";
    SmtpException error = new SmtpException(SmtpPhase.INPUT, Reason.IN_FLIGHT_BEFORE, "the journal shows that "
      + entry.id() + " " + how + ": it may have been delivered, so it was not sent again (to send it anyway: "
      + "BulkOptions.setResendUnknown(true), or --resend-unknown)");
    return new SendOutcome(mail, Status.UNKNOWN, null, error, 0, 0, entry);
  }

  private static Future<SendOutcome> refused(Mail mail, String why) {
    SmtpException error = new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT, why);
    return Future.succeededFuture(new SendOutcome(mail, Status.REJECTED, null, error, 0, 0, null));
  }

  private static Future<SendOutcome> journalFailed(Mail mail, String why, Throwable cause) {
    return Future.succeededFuture(journalFailedOutcome(mail, why, cause));
  }

  private static SendOutcome journalFailedOutcome(Mail mail, String why, Throwable cause) {
    SmtpException error = new SmtpException(SmtpPhase.INPUT, Reason.JOURNAL, why + ": " + cause, cause);
    return new SendOutcome(mail, Status.FAILED, null, error, 0, 0, null);
  }
}
