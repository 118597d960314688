package io.migo.smtp.impl.pacing;

import java.util.function.LongSupplier;

/**
 * A smooth rate limit shared by every session of a client: GCRA (the generic cell rate algorithm), i.e. a token
 * bucket of one token. Each message reserves the next slot, one interval after the previous one; time spent idle
 * earns no burst, so the relay never sees more than the rate over any interval. Confined to the client's context;
 * the clock (nanoseconds) is injected so that tests never sleep.
 */
public final class RateLimiter {

  private final LongSupplier clock;
  private long intervalNanos;
  /** When the next message may go (the "theoretical arrival time"). */
  private long nextSlotNanos;
  private boolean started;

  /** @param perSecond messages per second; 0 or infinite for no limit */
  public RateLimiter(double perSecond, LongSupplier clock) {
    this.clock = clock;
    setRate(perSecond);
  }

  /** Changes the rate; slots already reserved stand. */
  public void setRate(double perSecond) {
    intervalNanos = perSecond <= 0 || Double.isInfinite(perSecond) ? 0 : Math.max(1, (long) (1e9 / perSecond));
  }

  public boolean isLimited() {
    return intervalNanos > 0;
  }

  /** Reserves the next slot: how many nanoseconds to wait until it, 0 to go now. */
  public long reserve() {
    if (intervalNanos == 0) {
      return 0;
    }
    long now = clock.getAsLong();
    long slot = !started || now - nextSlotNanos > 0 ? now : nextSlotNanos;
    started = true;
    nextSlotNanos = slot + intervalNanos;
    return slot - now;
  }
}
