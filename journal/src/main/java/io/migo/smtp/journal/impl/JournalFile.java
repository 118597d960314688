package io.migo.smtp.journal.impl;

import io.migo.smtp.JournalEntry;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.journal.JournalOptions.Durability;
import org.sqlite.SQLiteErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The journal's SQLite file: opening it (or refusing a file that is not a journal), its one table, and the SQL that
 * reads and writes it. Used by the writer thread only: a JDBC connection is not for sharing.
 *
 * <p>The file is marked as ours with SQLite's {@code application_id} and versioned with {@code user_version}, so that
 * a journal is told from any other file before anything is written to it. It is opened in WAL mode with
 * {@code locking_mode=EXCLUSIVE}: one process at a time, so that two runs of a job cannot both send what the journal
 * says is unsent; a second one is refused at open.
 */
public final class JournalFile implements AutoCloseable {

  /** "Migo" in ASCII: the {@code application_id} of every journal. */
  static final int APPLICATION_ID = 0x4D69676F;
  static final int SCHEMA_VERSION = 1;

  private static final String CREATE = """
    CREATE TABLE journal (
      id          TEXT PRIMARY KEY NOT NULL,
      status      TEXT,
      code        INTEGER NOT NULL DEFAULT 0,
      enhanced    TEXT,
      response    TEXT,
      attempts    INTEGER NOT NULL DEFAULT 0,
      deferrals   INTEGER NOT NULL DEFAULT 0,
      started_at  INTEGER,
      finished_at INTEGER
    ) WITHOUT ROWID""";
  /** A start: in flight, whatever an earlier run recorded (a FAILED id sent again, an UNKNOWN one resent). */
  private static final String START = """
    INSERT INTO journal (id, status, started_at) VALUES (?, NULL, ?)
    ON CONFLICT (id) DO UPDATE SET status = NULL, code = 0, enhanced = NULL, response = NULL, attempts = 0,
      deferrals = 0, started_at = excluded.started_at, finished_at = NULL""";
  private static final String FINISH = """
    INSERT INTO journal (id, status, code, enhanced, response, attempts, deferrals, finished_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET status = excluded.status, code = excluded.code, enhanced = excluded.enhanced,
      response = excluded.response, attempts = excluded.attempts, deferrals = excluded.deferrals,
      finished_at = excluded.finished_at""";

  private final Path path;
  private final Connection connection;
  private final PreparedStatement start;
  private final PreparedStatement finish;

  private JournalFile(Path path, Connection connection) throws SQLException {
    this.path = path;
    this.connection = connection;
    this.start = connection.prepareStatement(START);
    this.finish = connection.prepareStatement(FINISH);
  }

  /** Opens the journal at {@code path}, creating it when the file does not exist or is empty. */
  public static JournalFile open(Path path, Durability durability) throws IOException {
    if (Files.isDirectory(path)) {
      throw new IOException(path + " is a directory, not a journal file");
    }
    Connection connection = null;
    try {
      connection = DriverManager.getConnection("jdbc:sqlite:" + path.toAbsolutePath());
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA busy_timeout = 0");
        s.execute("PRAGMA locking_mode = EXCLUSIVE");
        boolean fresh = checkIdentity(path, s);
        String mode = single(s, "PRAGMA journal_mode = WAL");
        if (!"wal".equalsIgnoreCase(mode)) {
          throw new IOException("cannot put the journal " + path + " in WAL mode (it stays " + mode + ")");
        }
        s.execute("PRAGMA synchronous = " + (durability == Durability.POWER_LOSS ? "FULL" : "NORMAL"));
        connection.setAutoCommit(false);
        if (fresh) {
          s.execute(CREATE);
          s.execute("PRAGMA application_id = " + APPLICATION_ID);
          s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
        } else {
          // A write takes the exclusive lock now, at open, rather than at the first record of the job.
          s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
        }
        connection.commit();
      }
      return new JournalFile(path, connection);
    } catch (SQLException e) {
      closeQuietly(connection);
      throw explain(path, e);
    } catch (IOException | RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  /**
   * Whether the file is new (no tables, no application id: empty or never written), else that it is a journal of
   * a schema this code reads. Reads only: a file that is not a journal is left as it was.
   */
  private static boolean checkIdentity(Path path, Statement s) throws SQLException, IOException {
    int applicationId = Integer.parseInt(single(s, "PRAGMA application_id"));
    int version = Integer.parseInt(single(s, "PRAGMA user_version"));
    int objects = Integer.parseInt(single(s, "SELECT count(*) FROM sqlite_master"));
    if (applicationId == 0 && version == 0 && objects == 0) {
      return true;
    }
    if (applicationId != APPLICATION_ID) {
      throw new IOException(path + " is not a migo-smtp journal: it is an SQLite database of something else"
        + " (application_id " + applicationId + ")");
    }
    if (version > SCHEMA_VERSION) {
      throw new IOException(path + " is a journal of a newer migo-smtp (schema " + version + "; this one reads "
        + SCHEMA_VERSION + ")");
    }
    return false;
  }

  private static IOException explain(Path path, SQLException e) {
    int primary = e.getErrorCode() & 0xff;
    if (primary == SQLiteErrorCode.SQLITE_NOTADB.code) {
      return new IOException(path + " is not a migo-smtp journal: it is not an SQLite database", e);
    }
    if (primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code) {
      return new IOException("the journal " + path + " is in use by another process (or another journal object"
        + " in this one): one job at a time may use a journal", e);
    }
    if (primary == SQLiteErrorCode.SQLITE_CANTOPEN.code) {
      return new IOException("cannot open or create the journal " + path + " (does its directory exist, may it"
        + " be written?)", e);
    }
    return new IOException("cannot open the journal " + path + ": " + e.getMessage(), e);
  }

  private static String single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** Every id the journal holds, with how it ended (or null: in flight). */
  public Map<String, JournalEntry> load() throws SQLException {
    Map<String, JournalEntry> entries = new HashMap<>();
    try (Statement s = connection.createStatement();
         ResultSet rs = s.executeQuery("SELECT id, status, code, enhanced, response FROM journal")) {
      while (rs.next()) {
        String id = rs.getString(1);
        String status = rs.getString(2);
        entries.put(id, new JournalEntry(id, status == null ? null : statusOf(id, status), rs.getInt(3),
          rs.getString(4), rs.getString(5)));
      }
    }
    connection.commit();
    return entries;
  }

  private SendOutcome.Status statusOf(String id, String status) throws SQLException {
    try {
      return SendOutcome.Status.valueOf(status);
    } catch (IllegalArgumentException e) {
      throw new SQLException("the journal " + path + " holds an unknown status for " + id + ": " + status);
    }
  }

  /** Writes {@code records} in order, in one transaction: all of them are durable when this returns, or none. */
  public void write(List<JournalRecord> records, long nowMillis) throws SQLException {
    try {
      for (JournalRecord r : records) {
        if (r.isStart()) {
          start.setString(1, r.id());
          start.setLong(2, nowMillis);
          start.executeUpdate();
        } else {
          finish.setString(1, r.id());
          finish.setString(2, r.status().name());
          finish.setInt(3, r.code());
          setNullable(finish, 4, r.enhanced());
          setNullable(finish, 5, r.response());
          finish.setInt(6, r.attempts());
          finish.setInt(7, r.deferrals());
          finish.setLong(8, nowMillis);
          finish.executeUpdate();
        }
      }
      connection.commit();
    } catch (SQLException e) {
      try {
        connection.rollback();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, value);
    }
  }

  public Path path() {
    return path;
  }

  /** Closes the connection; SQLite checkpoints the write-ahead log into the database file. */
  @Override
  public void close() throws SQLException {
    try {
      start.close();
      finish.close();
    } finally {
      connection.close();
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Already failing with the reason that matters.
      }
    }
  }
}
