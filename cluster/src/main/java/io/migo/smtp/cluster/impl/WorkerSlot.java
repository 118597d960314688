package io.migo.smtp.cluster.impl;

/** The producer's view of one live worker: its address, its share of the sessions and what it holds now. */
final class WorkerSlot {

  final String nodeId;
  final String address;
  /** Its share of the cluster's sessions: the most requests it may hold at once. */
  int window;
  int inFlight;
  long throttleEvents;
  /** When it was last given work, in the producer's count of dispatches. */
  long lastDispatch;
  /** Gone from the cluster, what it held not judged yet: it takes nothing more. */
  boolean leaving;

  WorkerSlot(String nodeId, String address) {
    this.nodeId = nodeId;
    this.address = address;
  }

  int free() {
    return window - inFlight;
  }
}
