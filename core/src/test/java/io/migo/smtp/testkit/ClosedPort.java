package io.migo.smtp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port where nothing listens and nothing else can: a socket bound to it but never connected or listening
 * holds it, so a connection to it is refused every time. A port freed by stopping a server is not that: the kernel
 * may hand it out again at once, even as the source port of the very connection that tries it (a TCP self-connect,
 * which "succeeds" and then hears its own bytes).
 */
public final class ClosedPort implements AutoCloseable {

  private final Socket holder = new Socket();

  public ClosedPort() {
    try {
      holder.bind(new InetSocketAddress("127.0.0.1", 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return holder.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    holder.close();
  }
}
