package io.migo.smtp.impl;

import io.migo.smtp.Envelope;
import io.vertx.core.buffer.Buffer;

/**
 * A message ready for the wire: its envelope, its RFC 5322 content (not yet normalized or dot-stuffed) and its
 * Message-ID when known.
 */
public record OutgoingMessage(Envelope envelope, Buffer content, String messageId) {
}
