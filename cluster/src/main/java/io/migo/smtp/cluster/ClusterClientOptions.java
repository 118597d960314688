package io.migo.smtp.cluster;

/**
 * The budget of a producer ({@link ClusterSmtpClient}): the relay's limits for the whole cluster, which the producer
 * shares among the live workers, and the largest message it sends through the cluster. Copied by the client.
 */
public class ClusterClientOptions {

  /** The largest message any worker takes (64 MiB), whatever a producer's own limit. */
  public static final long MAX_MESSAGE_BYTES_LIMIT = 64L * 1024 * 1024;
  public static final long DEFAULT_MAX_MESSAGE_BYTES = 10L * 1024 * 1024;
  public static final int DEFAULT_MAX_SESSIONS = 8;

  private double maxRate;
  private int maxSessions = DEFAULT_MAX_SESSIONS;
  private long maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;

  public ClusterClientOptions() {
  }

  public ClusterClientOptions(ClusterClientOptions other) {
    this.maxRate = other.maxRate;
    this.maxSessions = other.maxSessions;
    this.maxMessageBytes = other.maxMessageBytes;
  }

  public double getMaxRate() {
    return maxRate;
  }

  /**
   * Messages per second for the whole cluster (default 0: no limit). The producer lets each message go to a worker
   * in its turn of one cluster-wide token bucket (GCRA, no burst), so the relay sees at most this many per second
   * however many workers there are; a throttling reply met by any worker lowers it for all (see the README).
   */
  public ClusterClientOptions setMaxRate(double maxRate) {
    if (maxRate < 0 || Double.isNaN(maxRate)) {
      throw new IllegalArgumentException("maxRate must not be negative");
    }
    this.maxRate = maxRate;
    return this;
  }

  public int getMaxSessions() {
    return maxSessions;
  }

  /**
   * Messages in flight at once across the cluster (default {@value #DEFAULT_MAX_SESSIONS}): split among the live
   * workers as their windows, and split again when one joins or leaves. A worker never holds more than its window,
   * so it never uses more sessions than that at once (give its pool at least that many).
   */
  public ClusterClientOptions setMaxSessions(int maxSessions) {
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions must be at least 1");
    }
    this.maxSessions = maxSessions;
    return this;
  }

  public long getMaxMessageBytes() {
    return maxMessageBytes;
  }

  /**
   * The largest message sent through the cluster (default 10 MiB, at most {@link #MAX_MESSAGE_BYTES_LIMIT}): a larger
   * one ends REJECTED (reason INVALID_INPUT) unsent. Raw content counts its bytes; a MailMessage its JSON form.
   */
  public ClusterClientOptions setMaxMessageBytes(long maxMessageBytes) {
    if (maxMessageBytes < 1 || maxMessageBytes > MAX_MESSAGE_BYTES_LIMIT) {
      throw new IllegalArgumentException("maxMessageBytes must be 1.." + MAX_MESSAGE_BYTES_LIMIT);
    }
    this.maxMessageBytes = maxMessageBytes;
    return this;
  }
}
