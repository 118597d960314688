package io.migo.smtp.impl.pacing;

/**
 * How many sessions the pool may have open, learned from the relay's connection-limit replies. Confined to the
 * client's context.
 *
 * <p>A refused session says more than a refused message: the relay turned away session n+1 while it held the n
 * this client had open, so its limit is n, and the limit drops to exactly that (to 1 when none was open) — the
 * sessions the relay does hold keep working, none is closed. The limit then grows back additively, by one session
 * after {@code growthCost} accepted messages, so a relay whose limit has risen (another client of the account has
 * left) is found again. Each probe the relay refuses doubles the cost of the next one, up to {@link #MAX_COST}: a
 * relay with a fixed limit sees one refused session after 32, 64, 128, ... messages — a handful in a job of any
 * size — instead of one per fixed number of messages.
 */
public final class SessionLimit {

  /** Accepted messages before the first probe for one more session. */
  public static final int FIRST_COST = 32;
  /** The most accepted messages between two probes. */
  public static final int MAX_COST = 8192;

  private final int max;
  private int limit;
  private int growthCost = FIRST_COST;
  private int credit;
  /** Whether the relay has refused a session before: every later limit above what it held was a probe. */
  private boolean refusedBefore;

  /** @param max the pool's maximum size, where the limit starts and which it never exceeds */
  public SessionLimit(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1");
    }
    this.max = max;
    this.limit = max;
  }

  public int current() {
    return limit;
  }

  public boolean isBelowMax() {
    return limit < max;
  }

  /**
   * The relay refused a session while {@code open} sessions of this pool were open. Several sessions refused at once
   * (they were opened side by side) lower the limit once and double the cost once.
   *
   * @return whether the limit went down
   */
  public boolean refused(int open) {
    int learned = Math.max(1, Math.min(limit, open));
    if (learned >= limit) {
      return false;
    }
    // A refused probe (the limit had grown above what the relay takes) makes the next probe dearer; the first
    // refusal of a job only finds the limit.
    if (refusedBefore) {
      growthCost = Math.min(MAX_COST, growthCost * 2);
    }
    refusedBefore = true;
    limit = learned;
    credit = 0;
    return true;
  }

  /**
   * The relay accepted a message.
   *
   * @return whether the limit went up by one
   */
  public boolean accepted() {
    if (limit >= max || ++credit < growthCost) {
      return false;
    }
    credit = 0;
    limit++;
    return true;
  }
}
