package io.migo.smtp;

import io.vertx.core.Future;

import java.util.Map;

/**
 * Where a bulk send ({@link SmtpClient#sendAll(io.vertx.core.streams.ReadStream, BulkOptions)}) records, durably,
 * which messages it started and how each ended, so that a job run again after a crash sends nothing twice and loses
 * nothing (see {@link BulkOptions#setJournal(BulkJournal)}). A journal is keyed by the mails' correlation ids.
 *
 * <p>Implementations may complete their futures on any thread; the bulk send moves back to the client's context.
 * {@code migo-smtp-journal} has one on SQLite.
 */
public interface BulkJournal {

  /** What earlier runs recorded, read once before the first message of a send is looked at: id to entry. */
  Future<Map<String, JournalEntry>> load();

  /** Records that {@code id} is about to be sent; completes only once that record is durable. */
  Future<Void> started(String id);

  /** Records how {@code id} ended; completes only once that record is durable. */
  Future<Void> finished(String id, SendOutcome outcome);

  /** Writes what is pending and closes the journal. */
  Future<Void> close();
}
