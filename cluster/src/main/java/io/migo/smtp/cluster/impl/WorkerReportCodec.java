package io.migo.smtp.cluster.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/** {@link WorkerReport} on the clustered event bus, in {@link WireFormat}'s layout without a body. */
public final class WorkerReportCodec implements MessageCodec<WorkerReport, WorkerReport> {

  public static final String NAME = "migo-smtp-worker-report";

  @Override
  public void encodeToWire(Buffer buffer, WorkerReport report) {
    WireFormat.write(buffer, report.toJson(), null);
  }

  @Override
  public WorkerReport decodeFromWire(int pos, Buffer buffer) {
    return WorkerReport.fromJson(WireFormat.header(pos, buffer));
  }

  @Override
  public WorkerReport transform(WorkerReport report) {
    return report;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
