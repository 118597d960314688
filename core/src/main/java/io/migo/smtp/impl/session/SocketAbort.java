package io.migo.smtp.impl.session;

import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * Closes a socket at once, discarding what is still queued.
 *
 * <p>{@link NetSocket#close()} first flushes what was written: against a server that stopped reading (a stalled or
 * hostile peer, the very case a timeout fires for) that flush never completes and the socket is never closed. The
 * public API has no abortive close, so this one class reaches for Vert.x's internal socket to close the Netty
 * channel below Vert.x's handler. Only failed sessions use it; a normal QUIT uses {@link NetSocket#close()}.
 */
final class SocketAbort {

  private SocketAbort() {
  }

  static void abort(NetSocket socket) {
    if (socket instanceof NetSocketInternal internal) {
      // From Vert.x's own handler context towards the head: past the handler that turns a close into a graceful
      // shutdown waiting for the queued writes.
      internal.channelHandlerContext().close();
    } else {
      socket.close();
    }
  }
}
