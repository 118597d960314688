package io.migo.smtp.cluster.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The one layout both codecs write: a length-prefixed JSON header, then a length-prefixed body (-1 for none). The
 * header holds the few fields of a request or report; the body is message content, copied as it is.
 */
final class WireFormat {

  private WireFormat() {
  }

  static void write(Buffer out, JsonObject header, Buffer body) {
    Buffer json = header.toBuffer();
    out.appendInt(json.length()).appendBuffer(json);
    if (body == null) {
      out.appendInt(-1);
    } else {
      out.appendInt(body.length()).appendBuffer(body);
    }
  }

  /** The header at {@code pos}; {@link #body} reads what follows it. */
  static JsonObject header(int pos, Buffer in) {
    int length = in.getInt(pos);
    return new JsonObject(in.getBuffer(pos + 4, pos + 4 + length));
  }

  static Buffer body(int pos, Buffer in, long maxBytes) {
    int bodyAt = pos + 4 + in.getInt(pos);
    int length = in.getInt(bodyAt);
    if (length < 0) {
      return null;
    }
    if (length > maxBytes) {
      throw new IllegalStateException("a message of " + length + " bytes is over the cluster's limit of "
        + maxBytes);
    }
    return in.getBuffer(bodyAt + 4, bodyAt + 4 + length);
  }
}
