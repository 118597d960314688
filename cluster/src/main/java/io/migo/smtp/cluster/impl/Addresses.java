package io.migo.smtp.cluster.impl;

/** The event-bus addresses and cluster-wide map names the workers and producers agree on. */
public final class Addresses {

  /** Cluster-wide map: worker node id → its request address. */
  public static final String WORKERS_MAP = "migo.smtp.workers";
  /** Published by a worker when it is ready, so that running producers learn of it at once. */
  public static final String WORKER_JOINED = "migo.smtp.workers.joined";
  private static final String WORKER_PREFIX = "migo.smtp.worker.";
  private static final String PRODUCER_PREFIX = "migo.smtp.producer.";

  private Addresses() {
  }

  public static String worker(String nodeId) {
    return WORKER_PREFIX + nodeId;
  }

  public static String producer(String nodeId, String instance) {
    return PRODUCER_PREFIX + nodeId + "." + instance;
  }
}
