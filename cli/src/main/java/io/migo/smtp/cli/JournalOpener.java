package io.migo.smtp.cli;

import io.migo.smtp.BulkJournal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Path;

/**
 * {@code bulk --journal FILE}: the one place the command gets its {@link BulkJournal}. The journal on SQLite lives in
 * the module {@code migo-smtp-journal} ({@code io.migo.smtp.journal.SqliteBulkJournal.open(vertx, file)}), which this
 * build does not include yet; until it is wired in here, asking for a journal fails before anything is sent, rather
 * than run a job the user believes is crash-safe without one.
 */
final class JournalOpener {

  static final String NOT_AVAILABLE = "--journal is not available in this build: it needs the migo-smtp-journal "
    + "module";

  private JournalOpener() {
  }

  /** The journal in {@code file}, created if it does not exist; the caller closes it once the job is over. */
  static Future<BulkJournal> open(Vertx vertx, Path file) {
    return Future.failedFuture(new UnsupportedOperationException(NOT_AVAILABLE));
  }
}
