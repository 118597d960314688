package io.migo.smtp.impl.session;

import io.migo.smtp.RelayAddress;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which relay to try next: the primary first, then the failover relays in order, skipping those that failed within
 * their cool-down. When every relay is cooling down, all are tried anyway, the one that failed longest ago first:
 * an outage must not turn into a client that stops trying. Confined to the client's event loop.
 */
final class RelaySelector {

  private final List<RelayAddress> relays;
  private final long cooldownNanos;
  private final long[] failedAt;

  RelaySelector(List<RelayAddress> relays, long cooldownMs) {
    this.relays = relays;
    this.cooldownNanos = cooldownMs * 1_000_000L;
    this.failedAt = new long[relays.size()];
  }

  /** The relays in the order to try them now. */
  List<RelayAddress> candidates() {
    long now = System.nanoTime();
    List<Integer> healthy = new ArrayList<>();
    List<Integer> cooling = new ArrayList<>();
    for (int i = 0; i < relays.size(); i++) {
      boolean recentlyFailed = failedAt[i] != 0 && now - failedAt[i] < cooldownNanos;
      (recentlyFailed ? cooling : healthy).add(i);
    }
    cooling.sort(Comparator.comparingLong(i -> failedAt[i]));
    List<RelayAddress> order = new ArrayList<>(relays.size());
    healthy.forEach(i -> order.add(relays.get(i)));
    cooling.forEach(i -> order.add(relays.get(i)));
    return order;
  }

  void failed(RelayAddress relay) {
    int i = relays.indexOf(relay);
    long now = System.nanoTime();
    failedAt[i] = now == 0 ? 1 : now;
  }

  void succeeded(RelayAddress relay) {
    failedAt[relays.indexOf(relay)] = 0;
  }
}
