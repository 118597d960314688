package io.migo.smtp.cluster.impl;

import io.vertx.core.json.JsonObject;

/**
 * What a worker tells a producer about one of its requests: that it is starting (its first command is about to go to
 * the relay), or how it ended. Each report also carries the worker's pacing, so that a throttling reply one worker
 * met reaches the producer that splits the budget. Travels with {@link WorkerReportCodec}.
 *
 * @param kind           starting or outcome
 * @param id             the producer's request id
 * @param worker         the worker's node id
 * @param outcome        {@link OutcomeWire}'s form of the outcome; {@code null} for a start
 * @param throttleEvents throttling replies the worker has met so far
 * @param rateLimit      the worker's own pacing rate now (0: none)
 */
public record WorkerReport(Kind kind, long id, String worker, JsonObject outcome, long throttleEvents,
                           double rateLimit) {

  public enum Kind {
    STARTING, OUTCOME
  }

  JsonObject toJson() {
    return new JsonObject().put("k", kind.name()).put("id", id).put("w", worker).put("o", outcome)
      .put("t", throttleEvents).put("r", rateLimit);
  }

  static WorkerReport fromJson(JsonObject json) {
    return new WorkerReport(Kind.valueOf(json.getString("k")), json.getLong("id"), json.getString("w"),
      json.getJsonObject("o"), json.getLong("t", 0L), json.getDouble("r", 0.0));
  }
}
