package io.migo.smtp.impl.pacing;

import java.util.function.LongSupplier;

/**
 * Additive increase, multiplicative decrease: how a client finds a limit the relay does not announce. A refusal
 * halves the value (never below the floor); each success adds a little back, up to the ceiling — as TCP finds a
 * path's capacity and Postfix its destination concurrency. Used for the sending rate (the number of sessions has its own, {@link SessionLimit}).
 *
 * <p>Refusals often come in a burst (every session hits the same limit at once): within {@code holdNanos} after a
 * decrease, further refusals do not decrease again, so that one limit reached does not collapse the value to the
 * floor. Confined to one thread (the client's context); the clock is injected so that tests never sleep.
 */
public final class Aimd {

  private final double floor;
  private final double ceiling;
  private final double factor;
  private final long holdNanos;
  private final LongSupplier clock;
  private double value;
  private boolean decreased;
  private long lastDecreaseNanos;

  /**
   * @param initial   the starting value; {@link Double#POSITIVE_INFINITY} for none
   * @param floor     the least value a decrease leaves
   * @param ceiling   the most value an increase reaches; {@link Double#POSITIVE_INFINITY} for none
   * @param factor    what a decrease multiplies by, in (0, 1)
   * @param holdNanos after a decrease, how long further refusals are taken as the same one
   */
  public Aimd(double initial, double floor, double ceiling, double factor, long holdNanos, LongSupplier clock) {
    if (!(factor > 0 && factor < 1) || floor <= 0 || ceiling < floor) {
      throw new IllegalArgumentException("factor in (0, 1), 0 < floor <= ceiling");
    }
    this.value = Math.min(initial, ceiling);
    this.floor = floor;
    this.ceiling = ceiling;
    this.factor = factor;
    this.holdNanos = holdNanos;
    this.clock = clock;
  }

  public double value() {
    return value;
  }

  public boolean isBelowCeiling() {
    return value < ceiling;
  }

  /**
   * A refusal: the value becomes {@code factor} × the lesser of itself and {@code observed} (what was in use when
   * the relay refused: the sessions open, the rate achieved), not below the floor.
   *
   * @return whether it decreased (false within the hold after the last decrease)
   */
  public boolean decrease(double observed) {
    long now = clock.getAsLong();
    if (decreased && now - lastDecreaseNanos < holdNanos) {
      return false;
    }
    decreased = true;
    lastDecreaseNanos = now;
    value = Math.max(floor, Math.min(value, observed) * factor);
    return true;
  }

  /** A success: {@code amount} more, up to the ceiling. */
  public void increase(double amount) {
    if (value < ceiling) {
      value = Math.min(ceiling, value + amount);
    }
  }
}
