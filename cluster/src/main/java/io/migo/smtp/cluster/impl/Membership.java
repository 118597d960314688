package io.migo.smtp.cluster.impl;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.List;
import java.util.function.Consumer;

/**
 * Who is in the cluster, and news of members leaving. The one class that reaches into Vert.x's internals
 * ({@link VertxInternal#clusterManager()}): Vert.x's public API does not expose the cluster manager of a clustered
 * instance. Departures are read from Hazelcast's own membership events, added beside Vert.x's listener, because
 * {@link ClusterManager#nodeListener} holds a single listener that Vert.x itself uses.
 */
public final class Membership {

  /** Where vertx-hazelcast records a member's Vert.x node id. */
  private static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private final HazelcastClusterManager manager;

  private Membership(HazelcastClusterManager manager) {
    this.manager = manager;
  }

  public static Membership of(Vertx vertx) {
    if (!(vertx instanceof VertxInternal internal) || internal.clusterManager() == null) {
      throw new IllegalArgumentException("a clustered Vertx is needed (SmtpCluster.join)");
    }
    if (!(internal.clusterManager() instanceof HazelcastClusterManager hazelcast)) {
      throw new IllegalArgumentException("the Hazelcast cluster manager is needed, not "
        + internal.clusterManager().getClass().getName());
    }
    return new Membership(hazelcast);
  }

  public String localNodeId() {
    return manager.getNodeId();
  }

  public List<String> nodes() {
    return manager.getNodes();
  }

  /** Tells {@code left} the node id of each member that leaves or is declared dead, on a Hazelcast thread. */
  public void onLeft(Consumer<String> left) {
    manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        // vertx-hazelcast keeps the Vert.x node id as a member attribute (it is not the member's UUID).
        String nodeId = event.getMember().getAttribute(NODE_ID_ATTRIBUTE);
        if (nodeId != null) {
          left.accept(nodeId);
        }
      }
    });
  }

  /** Stops this member's Hazelcast at once, without leaving: what a killed JVM looks like to the others. Tests only. */
  public void terminateForTests() {
    manager.getHazelcastInstance().getLifecycleService().terminate();
  }
}
