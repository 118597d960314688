package io.migo.smtp.journal;

import io.migo.smtp.BulkJournal;
import io.migo.smtp.BulkOptions;
import io.migo.smtp.JournalEntry;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.journal.impl.GroupCommitWriter;
import io.migo.smtp.journal.impl.JournalFile;
import io.migo.smtp.journal.impl.JournalRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link BulkJournal} in an SQLite file, for {@link BulkOptions#setJournal(BulkJournal)}: a bulk job run again
 * with the same file after a crash skips what already ended and does not resend what may have been delivered.
 *
 * <p><b>What it promises.</b> A {@link #started(String)} or {@link #finished(String, SendOutcome)} future completes
 * only once its record is committed to the file. With the default {@link JournalOptions.Durability#PROCESS_CRASH}
 * (SQLite WAL, {@code synchronous=NORMAL}) a committed record survives the process dying at any instant,
 * {@code kill -9} included ({@code SqliteBulkJournalCrashTest} kills a child JVM that is writing and checks every
 * confirmed record after reopening); the last commits before a power loss or an operating-system crash may be lost,
 * the file stays consistent. {@link JournalOptions.Durability#POWER_LOSS} ({@code synchronous=FULL}) survives that
 * too, at the cost of one disk sync per commit. The file is locked while open: a second journal object, in this
 * process or another, cannot open it, so two runs of a job cannot both send what it says is unsent.
 *
 * <p><b>How it writes.</b> One thread of its own takes every record pending, writes them in one transaction and
 * confirms them all after the commit (group commit): the records of a bulk send's many messages in flight share
 * each commit, so the journal costs a bulk send little. A future completes on the Vert.x context its caller was on
 * (or on the writer thread for a caller outside Vert.x).
 *
 * <p>The file has one table, {@code journal}: {@code id} (the mail's correlation id), {@code status} (a
 * {@link SendOutcome.Status} name, or NULL while in flight), {@code code}, {@code enhanced}, {@code response},
 * {@code attempts}, {@code deferrals}, {@code started_at} and {@code finished_at} (epoch milliseconds). It is marked
 * as a migo-smtp journal, so a file that is not one is refused at open and left untouched.
 *
 * <p>Closing is the caller's business: close the journal after the bulk send's outcome stream has ended.
 */
public final class SqliteBulkJournal implements BulkJournal {

  private final Path file;
  private final GroupCommitWriter writer;

  private SqliteBulkJournal(Path file, GroupCommitWriter writer) {
    this.file = file;
    this.writer = writer;
  }

  /** Opens (or creates) the journal at {@code file} with the default {@link JournalOptions}. */
  public static Future<SqliteBulkJournal> open(Vertx vertx, Path file) {
    return open(vertx, file, new JournalOptions());
  }

  /**
   * Opens the journal at {@code file}, creating it when it does not exist (its directory must). Fails with an
   * {@link java.io.IOException} that says why when the file is not a journal, is a journal of a newer version, or is
   * in use by another journal object. The file is opened on the journal's own thread, never on the caller's; the
   * future completes on the caller's context.
   */
  public static Future<SqliteBulkJournal> open(Vertx vertx, Path file, JournalOptions options) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(file, "file");
    JournalOptions copy = new JournalOptions(Objects.requireNonNull(options, "options"));
    return GroupCommitWriter.start(() -> JournalFile.open(file, copy.getDurability()), copy.getMaxBatch(),
        String.valueOf(file.toAbsolutePath()), vertx.getOrCreateContext())
      .map(writer -> new SqliteBulkJournal(file, writer));
  }

  @Override
  public Future<Map<String, JournalEntry>> load() {
    return writer.load();
  }

  @Override
  public Future<Void> started(String id) {
    return writer.write(JournalRecord.started(Objects.requireNonNull(id, "id")));
  }

  @Override
  public Future<Void> finished(String id, SendOutcome outcome) {
    return writer.write(JournalRecord.finished(Objects.requireNonNull(id, "id"), outcome));
  }

  /** Writes what is pending, then closes the file; later records fail. */
  @Override
  public Future<Void> close() {
    return writer.close();
  }

  /** The journal's file. */
  public Path file() {
    return file;
  }

  /**
   * How many transactions the journal has committed: with many records pending at once (a bulk send's messages in
   * flight), far fewer than records. For tests and monitoring.
   */
  public long commits() {
    return writer.commits();
  }

  /** How many records the journal has committed. */
  public long records() {
    return writer.records();
  }
}
