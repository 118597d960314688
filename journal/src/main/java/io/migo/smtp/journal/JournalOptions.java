package io.migo.smtp.journal;

import java.util.Objects;

/** How a {@link SqliteBulkJournal} writes. Copied when the journal is opened. */
public class JournalOptions {

  /** What a record that the journal has confirmed (its future completed) survives. */
  public enum Durability {
    /**
     * The process dying at any instant, {@code kill -9} included: a confirmed record is in SQLite's write-ahead log
     * in the operating system's hands (WAL, {@code synchronous=NORMAL}). The last records confirmed before the
     * machine itself lost power or crashed may be lost; the file stays consistent.
     */
    PROCESS_CRASH,
    /**
     * The process dying and the machine losing power: every commit waits for the write-ahead log to reach the disk
     * (WAL, {@code synchronous=FULL}, one {@code fsync} per group of records). Slower by the disk's sync time.
     */
    POWER_LOSS
  }

  /** Records written in one transaction at most; more pending wait for the next one. */
  public static final int DEFAULT_MAX_BATCH = 4096;

  private Durability durability = Durability.PROCESS_CRASH;
  private int maxBatch = DEFAULT_MAX_BATCH;

  public JournalOptions() {
  }

  public JournalOptions(JournalOptions other) {
    this.durability = other.durability;
    this.maxBatch = other.maxBatch;
  }

  public Durability getDurability() {
    return durability;
  }

  /** What a confirmed record survives (default {@link Durability#PROCESS_CRASH}). */
  public JournalOptions setDurability(Durability durability) {
    this.durability = Objects.requireNonNull(durability, "durability");
    return this;
  }

  public int getMaxBatch() {
    return maxBatch;
  }

  /**
   * The most records one transaction takes (default {@value #DEFAULT_MAX_BATCH}): the writer commits whatever is
   * pending, up to this, then confirms it all at once.
   */
  public JournalOptions setMaxBatch(int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1");
    }
    this.maxBatch = maxBatch;
    return this;
  }
}
