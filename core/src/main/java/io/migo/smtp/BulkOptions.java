package io.migo.smtp;

import java.util.function.Consumer;

/**
 * How a bulk send ({@code sendAll}) runs. Copied when the send starts.
 */
public class BulkOptions {

  /** Use the pool's maximum size as the concurrency. */
  public static final int POOL_SIZE = 0;

  private int concurrency = POOL_SIZE;
  private boolean ordered;
  private BulkJournal journal;
  private boolean resendUnknown;
  private Consumer<Mail> startListener;

  public BulkOptions() {
  }

  public BulkOptions(BulkOptions other) {
    this.concurrency = other.concurrency;
    this.ordered = other.ordered;
    this.journal = other.journal;
    this.resendUnknown = other.resendUnknown;
    this.startListener = other.startListener;
  }

  public int getConcurrency() {
    return concurrency;
  }

  /**
   * How many messages may be in flight or waiting to be taken downstream at once; {@link #POOL_SIZE} (the default)
   * for {@link PoolOptions#getMaxSize()}. More than the pool size only queues sends on the pool.
   */
  public BulkOptions setConcurrency(int concurrency) {
    if (concurrency < 0) {
      throw new IllegalArgumentException("concurrency must not be negative");
    }
    this.concurrency = concurrency;
    return this;
  }

  public boolean isOrdered() {
    return ordered;
  }

  /**
   * Emit outcomes in input order (default: in completion order). A slow message then holds back the outcomes behind
   * it, and those count against the concurrency until it completes, so the reorder buffer stays bounded.
   */
  public BulkOptions setOrdered(boolean ordered) {
    this.ordered = ordered;
    return this;
  }

  public BulkJournal getJournal() {
    return journal;
  }

  /**
   * Record every message's start and outcome in {@code journal} (default: none). The start of a message is durable
   * before any of its bytes goes to the relay, its outcome before the outcome is emitted. A send with a journal
   * first reads what earlier runs recorded: an id that already ended (delivered, partially delivered, rejected) is
   * not sent again and ends {@link SendOutcome.Status#SKIPPED}; an id that was in flight when an earlier run stopped,
   * or ended UNKNOWN, is not sent again and ends UNKNOWN (unless {@link #setResendUnknown(boolean)}); the rest (never
   * started, or FAILED, which is safe to retry) are sent. Every mail then needs a correlation id, unique within the
   * send; its {@code toString()} is the journal's id. A mail without one, or with an id an earlier mail of the same
   * send had, ends {@link SendOutcome.Status#REJECTED} (reason {@link SmtpException.Reason#INVALID_INPUT}) unsent and
   * unrecorded. A start the journal cannot record ends FAILED (reason {@link SmtpException.Reason#JOURNAL}) unsent.
   *
   * <p>The send neither opens nor closes the journal: close it once the outcome stream has ended. Only the mails
   * actually sent count in {@link SmtpClient#progress()}; the outcomes decided from the journal alone do not.
   */
  public BulkOptions setJournal(BulkJournal journal) {
    this.journal = journal;
    return this;
  }

  public boolean isResendUnknown() {
    return resendUnknown;
  }

  /**
   * With a journal: send again the ids an earlier run left in flight or UNKNOWN (default: report them UNKNOWN and
   * do not send them). Such a message may then be delivered twice; choose it only when a duplicate is harmless or the
   * Maildir/relay log shows the message did not arrive.
   */
  public BulkOptions setResendUnknown(boolean resendUnknown) {
    this.resendUnknown = resendUnknown;
    return this;
  }

  public Consumer<Mail> getStartListener() {
    return startListener;
  }

  /**
   * Told of each mail once, on the client's context, right before the first command of its first transaction is
   * written to the relay (default: none). Until then nothing of the mail has left the client, so a mail whose start
   * was not reported when its sender stopped can be sent again elsewhere without a duplicate; after it, the relay may
   * hold it. A mail refused by the client's own checks, or failed before a session took it, is never reported.
   * A cluster worker uses it to tell its producer "not started" from "maybe started". The listener must not block.
   */
  public BulkOptions setStartListener(Consumer<Mail> startListener) {
    this.startListener = startListener;
    return this;
  }
}
