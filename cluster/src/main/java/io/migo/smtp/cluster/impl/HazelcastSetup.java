package io.migo.smtp.cluster.impl;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.migo.smtp.cluster.ClusterOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The Hazelcast configuration, built in code rather than read from a cluster.xml on the class path, so that a member
 * joins exactly the members it is given and binds to exactly one address.
 */
public final class HazelcastSetup {

  /**
   * Hazelcast logs every step of forming a cluster at INFO through java.util.logging; a worker's or producer's own
   * output says what matters. Held here so that the level is not lost with a collected logger.
   */
  private static final java.util.logging.Logger HAZELCAST_LOG = java.util.logging.Logger.getLogger("com.hazelcast");

  private HazelcastSetup() {
  }

  public static Future<Vertx> join(ClusterOptions options) {
    if (HAZELCAST_LOG.getLevel() == null) {
      HAZELCAST_LOG.setLevel(java.util.logging.Level.WARNING);
    }
    HazelcastClusterManager manager = new HazelcastClusterManager(config(options));
    VertxOptions vertxOptions = new VertxOptions().setEventBusOptions(new EventBusOptions()
      .setHost(options.getHost())
      .setPort(options.getEventBusPort()));
    return Vertx.builder().with(vertxOptions).withClusterManager(manager).buildClustered();
  }

  static Config config(ClusterOptions options) {
    Config config = new Config();
    config.setClusterName(options.getClusterName());
    // Hazelcast binds to every interface unless told not to; a cluster member here listens on its one address.
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    // A worker killed without a goodbye is declared gone after this silence (Hazelcast's default is 60 s).
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(options.getHeartbeatTimeoutSeconds()));
    // A lone first member need not wait long for others before it forms the cluster.
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(options.getPort()).setPortAutoIncrement(false);
    network.setPublicAddress(options.getHost() + ":" + options.getPort());
    network.getInterfaces().setEnabled(true).addInterface(options.getHost());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(options.getMembers().isEmpty()
      ? java.util.List.of(options.getHost() + ":" + options.getPort()) : options.getMembers());
    // What vertx-hazelcast's default-cluster.xml declares for its own structures.
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
      .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    return config;
  }
}
