package io.migo.smtp.cluster.impl;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;

/** Registers the cluster's codecs once per Vertx, whether a worker, a producer or both live in it. */
public final class Codecs {

  private Codecs() {
  }

  public static synchronized void register(Vertx vertx) {
    EventBus bus = vertx.eventBus();
    try {
      bus.registerDefaultCodec(SendRequest.class, new SendRequestCodec());
      bus.registerDefaultCodec(WorkerReport.class, new WorkerReportCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // Another worker or producer in this Vertx registered them: the same codecs.
    }
  }
}
