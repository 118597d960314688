package io.migo.smtp.cluster;

import io.migo.smtp.cluster.impl.HazelcastSetup;
import io.migo.smtp.cluster.impl.Membership;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Joining a migo cluster: a clustered {@link Vertx} whose members find each other by TCP/IP. */
public final class SmtpCluster {

  private SmtpCluster() {
  }

  /**
   * A clustered Vert.x on the Hazelcast cluster manager, configured in code from {@code options}: TCP/IP join with
   * the given members, multicast and auto-detection off, bound to {@link ClusterOptions#getHost()} alone, and the
   * event bus on the same host. Close the returned Vertx to leave the cluster.
   */
  public static Future<Vertx> join(ClusterOptions options) {
    return HazelcastSetup.join(new ClusterOptions(options));
  }

  /** This member's node id in the cluster (the id a producer's per-worker counts are keyed by). */
  public static String nodeId(Vertx vertx) {
    return Membership.of(vertx).localNodeId();
  }
}
