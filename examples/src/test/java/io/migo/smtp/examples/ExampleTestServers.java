package io.migo.smtp.examples;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The real servers of {@code scripts/test-servers.sh start}, as core's {@code TestServers} reads them (the file named
 * by the {@code migo.testServers} system property): skipped with a hint on a developer's machine when they are not
 * running, a failure under CI.
 */
final class ExampleTestServers {

  private final Properties properties;

  private ExampleTestServers(Properties properties) {
    this.properties = properties;
  }

  static ExampleTestServers require() {
    Path file = Path.of(System.getProperty("migo.testServers", "../target/test-servers.properties"));
    boolean running = Files.isReadable(file);
    String message = "real test servers are not running (no " + file.toAbsolutePath()
      + "); start them with: scripts/test-servers.sh install && scripts/test-servers.sh start";
    if (!running && isCi()) {
      throw new AssertionError("CI requires the real servers: " + message);
    }
    Assumptions.assumeTrue(running, message);
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
    return new ExampleTestServers(properties);
  }

  private static boolean isCi() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false");
  }

  String get(String key) {
    String value = properties.getProperty(key);
    if (value == null) {
      throw new AssertionError("test-servers.properties has no " + key);
    }
    return value;
  }

  int port(String key) {
    return Integer.parseInt(get(key));
  }
}
