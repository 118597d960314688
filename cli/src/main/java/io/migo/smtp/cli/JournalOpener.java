package io.migo.smtp.cli;

import io.migo.smtp.BulkJournal;
import io.migo.smtp.journal.SqliteBulkJournal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Path;

/**
 * {@code bulk --journal FILE}: the one place the command gets its {@link BulkJournal} — SQLite, from
 * {@code migo-smtp-journal}, with its default durability (a confirmed record survives {@code kill -9}).
 */
final class JournalOpener {

  private JournalOpener() {
  }

  /** The journal in {@code file}, created if it does not exist; the caller closes it once the job is over. */
  static Future<BulkJournal> open(Vertx vertx, Path file) {
    return SqliteBulkJournal.open(vertx, file).map(journal -> journal);
  }
}
