package io.migo.smtp.benchmarks;

/**
 * Where the messages go: {@code embedded}, a {@link SinkServer} started in this JVM, or {@code external}, a server
 * given by {@code -Dsmtp.host} and {@code -Dsmtp.port} (default 127.0.0.1:10026, the smtp-sink that
 * {@code scripts/test-servers.sh start} runs). Loopback only.
 */
public final class Target implements AutoCloseable {

  public static final String DEFAULT_EXTERNAL_HOST = "127.0.0.1";
  public static final int DEFAULT_EXTERNAL_PORT = 10026;

  private final String name;
  private final SinkServer sink;
  private final String host;
  private final int port;

  private Target(String name, SinkServer sink, String host, int port) {
    this.name = name;
    this.sink = sink;
    this.host = host;
    this.port = port;
  }

  public static Target open(String name) throws Exception {
    switch (name) {
      case "embedded": {
        SinkServer sink = SinkServer.start();
        return new Target(name, sink, sink.host(), sink.port());
      }
      case "external": {
        String host = System.getProperty("smtp.host", DEFAULT_EXTERNAL_HOST);
        int port = Integer.getInteger("smtp.port", DEFAULT_EXTERNAL_PORT);
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
          throw new IllegalArgumentException("smtp.host must be a loopback address, not " + host);
        }
        return new Target(name, null, host, port);
      }
      default:
        throw new IllegalArgumentException("unknown target '" + name + "', expected embedded or external");
    }
  }

  public String name() {
    return name;
  }

  /** The embedded sink, or {@code null} for an external server. */
  public SinkServer sink() {
    return sink;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() throws Exception {
    if (sink != null) {
      sink.close();
    }
  }

  @Override
  public String toString() {
    return name + " (" + host + ":" + port + ")";
  }
}
