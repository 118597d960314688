package io.migo.smtp.cluster;

import io.migo.smtp.cluster.impl.Membership;
import io.migo.smtp.testkit.Await;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Members of one test cluster in this JVM, each a clustered Vertx on loopback, on ports free when picked. */
final class ClusterNodes implements AutoCloseable {

  private final List<Integer> ports = new ArrayList<>();
  private final List<Vertx> nodes = new ArrayList<>();
  private final List<Vertx> crashed = new ArrayList<>();
  private final String name = "migo-test-" + System.nanoTime();

  ClusterNodes(int size) {
    for (int i = 0; i < size; i++) {
      ports.add(freePort());
    }
  }

  /** Starts member {@code i} and waits until it has joined. */
  Vertx start(int i) {
    List<String> members = ports.stream().map(p -> "127.0.0.1:" + p).toList();
    Vertx vertx = Await.result(SmtpCluster.join(new ClusterOptions().setPort(ports.get(i)).setMembers(members)
      .setClusterName(name).setHeartbeatTimeoutSeconds(5)));
    nodes.add(vertx);
    return vertx;
  }

  /** Ends a member as a crash would: its Hazelcast stops at once, saying goodbye to no one. */
  void crash(Vertx vertx) {
    Membership.of(vertx).terminateForTests();
    crashed.add(vertx);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    for (Vertx vertx : nodes) {
      if (crashed.contains(vertx)) {
        continue; // its Vertx would wait on a cluster it is no longer in; the JVM ends soon
      }
      try {
        Await.result(vertx.close());
      } catch (RuntimeException e) {
        // a crashed member's Vertx may fail to leave a cluster it is no longer in
      }
    }
  }
}
