package io.migo.smtp;

import java.util.Objects;

/** A relay's host name (or address) and port. */
public record RelayAddress(String host, int port) {

  public RelayAddress {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535: " + port);
    }
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
