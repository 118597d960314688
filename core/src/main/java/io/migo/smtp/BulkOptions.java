package io.migo.smtp;

/**
 * How a bulk send ({@code sendAll}) runs. Copied when the send starts.
 */
public class BulkOptions {

  /** Use the pool's maximum size as the concurrency. */
  public static final int POOL_SIZE = 0;

  private int concurrency = POOL_SIZE;
  private boolean ordered;

  public BulkOptions() {
  }

  public BulkOptions(BulkOptions other) {
    this.concurrency = other.concurrency;
    this.ordered = other.ordered;
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
}
