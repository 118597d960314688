package io.migo.smtp.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a JVM joins a migo cluster: the loopback or private address and port its Hazelcast member listens on, the
 * members it looks for (TCP/IP discovery, never multicast), and the cluster's name (members of another name are
 * ignored). The event bus listens on the same host, on {@link #getEventBusPort()} (0: any free port). Copied when
 * the cluster is joined.
 */
public class ClusterOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5701;
  public static final String DEFAULT_NAME = "migo-smtp";

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private List<String> members = new ArrayList<>();
  private String clusterName = DEFAULT_NAME;
  private int eventBusPort;
  private int heartbeatTimeoutSeconds = 10;

  public ClusterOptions() {
  }

  public ClusterOptions(ClusterOptions other) {
    this.host = other.host;
    this.port = other.port;
    this.members = new ArrayList<>(other.members);
    this.clusterName = other.clusterName;
    this.eventBusPort = other.eventBusPort;
    this.heartbeatTimeoutSeconds = other.heartbeatTimeoutSeconds;
  }

  public String getHost() {
    return host;
  }

  /** The address this member binds to and announces (default 127.0.0.1); it binds to nothing else. */
  public ClusterOptions setHost(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return this;
  }

  public int getPort() {
    return port;
  }

  /** The Hazelcast member's port (default 5701); no other port is tried when it is taken. */
  public ClusterOptions setPort(int port) {
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535: " + port);
    }
    this.port = port;
    return this;
  }

  public List<String> getMembers() {
    return List.copyOf(members);
  }

  /** Members to join, as {@code host:port} (this member's own address may be among them). */
  public ClusterOptions setMembers(List<String> members) {
    List<String> copy = new ArrayList<>();
    for (String member : members) {
      String m = member.trim();
      if (!m.isEmpty()) {
        int colon = m.lastIndexOf(':');
        if (colon <= 0 || colon == m.length() - 1) {
          throw new IllegalArgumentException("a cluster member must be HOST:PORT: " + m);
        }
        Integer.parseInt(m.substring(colon + 1));
        copy.add(m);
      }
    }
    this.members = copy;
    return this;
  }

  public String getClusterName() {
    return clusterName;
  }

  /** The cluster's name (default {@value #DEFAULT_NAME}); members of another name do not join. */
  public ClusterOptions setClusterName(String clusterName) {
    this.clusterName = Objects.requireNonNull(clusterName, "clusterName");
    return this;
  }

  public int getEventBusPort() {
    return eventBusPort;
  }

  /** The event bus's TCP port on {@link #getHost()}; 0 (the default) for any free port. */
  public ClusterOptions setEventBusPort(int eventBusPort) {
    this.eventBusPort = eventBusPort;
    return this;
  }

  public int getHeartbeatTimeoutSeconds() {
    return heartbeatTimeoutSeconds;
  }

  /**
   * How long a member may stay silent before the others declare it gone (default 10 s; Hazelcast's own default is
   * 60 s). A dead worker's unstarted messages go elsewhere only once it is declared gone.
   */
  public ClusterOptions setHeartbeatTimeoutSeconds(int heartbeatTimeoutSeconds) {
    if (heartbeatTimeoutSeconds < 2) {
      throw new IllegalArgumentException("heartbeatTimeoutSeconds must be at least 2");
    }
    this.heartbeatTimeoutSeconds = heartbeatTimeoutSeconds;
    return this;
  }

  @Override
  public String toString() {
    return "ClusterOptions[" + clusterName + "@" + host + ":" + port + ", members=" + members + "]";
  }
}
