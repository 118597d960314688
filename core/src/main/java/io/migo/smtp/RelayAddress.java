package io.migo.smtp;

import java.util.Objects;

/**
 * Where a relay listens: a host name (or address) and port, or a Unix domain socket ({@link #unixSocket(String)}),
 * the usual way to reach a local LMTP server.
 *
 * @param host       the host name or address; {@code localhost} for a Unix socket (its name for TLS, should a socket
 *                   ever carry TLS)
 * @param port       1..65535, or 0 for a Unix socket
 * @param socketPath the Unix domain socket's file, or {@code null} for TCP
 */
public record RelayAddress(String host, int port, String socketPath) {

  public RelayAddress {
    Objects.requireNonNull(host, "host");
    if (socketPath == null && (port < 1 || port > 65535)) {
      throw new IllegalArgumentException("port must be 1..65535: " + port);
    }
    if (socketPath != null && (socketPath.isEmpty() || port != 0)) {
      throw new IllegalArgumentException("a Unix socket relay has a non-empty path and port 0: " + socketPath);
    }
  }

  /** A relay reached over TCP. */
  public RelayAddress(String host, int port) {
    this(host, port, null);
  }

  /** A relay reached through the Unix domain socket at {@code path} (e.g. {@code /run/dovecot/lmtp}). */
  public static RelayAddress unixSocket(String path) {
    return new RelayAddress("localhost", 0, Objects.requireNonNull(path, "path"));
  }

  /** Whether this relay is a Unix domain socket rather than a TCP address. */
  public boolean isUnixSocket() {
    return socketPath != null;
  }

  @Override
  public String toString() {
    return socketPath != null ? "unix:" + socketPath : host + ":" + port;
  }
}
