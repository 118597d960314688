package io.migo.smtp.cluster.impl;

import io.migo.smtp.cluster.ClusterClientOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * {@link SendRequest} on the clustered event bus: the JSON header and the content's bytes as they are (no base64).
 * A body over {@link ClusterClientOptions#MAX_MESSAGE_BYTES_LIMIT} is refused on decoding too, so that a worker never
 * holds more than that for one message whatever a producer sends.
 */
public final class SendRequestCodec implements MessageCodec<SendRequest, SendRequest> {

  public static final String NAME = "migo-smtp-send-request";

  @Override
  public void encodeToWire(Buffer buffer, SendRequest request) {
    WireFormat.write(buffer, request.header(), request.content());
  }

  @Override
  public SendRequest decodeFromWire(int pos, Buffer buffer) {
    return new SendRequest(WireFormat.header(pos, buffer),
      WireFormat.body(pos, buffer, ClusterClientOptions.MAX_MESSAGE_BYTES_LIMIT));
  }

  /** Within one JVM the request is immutable once sent: passed as it is. */
  @Override
  public SendRequest transform(SendRequest request) {
    return request;
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
