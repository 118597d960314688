package io.migo.smtp.testkit;

import io.migo.smtp.SmtpClientOptions;
import io.vertx.core.net.PemTrustOptions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The real servers that {@code scripts/test-servers.sh start} runs (Postfix with Cyrus SASL, smtp-sink, Nodemailer's
 * smtp-server), described by the properties file that script writes. Under CI a missing file fails the test; on a
 * developer's machine the test is skipped with a message that says how to start the servers.
 */
public final class TestServers {

  private final Properties properties;

  private TestServers(Properties properties) {
    this.properties = properties;
  }

  public static TestServers require() {
    String location = System.getProperty("migo.testServers", "target/test-servers.properties");
    Path file = Paths.get(location);
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
    return new TestServers(properties);
  }

  private static boolean isCi() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false");
  }

  public String get(String key) {
    String value = properties.getProperty(key);
    if (value == null) {
      throw new AssertionError("test-servers.properties has no " + key);
    }
    return value;
  }

  public int port(String key) {
    return Integer.parseInt(get(key));
  }

  public String user() {
    return get("user");
  }

  public String password() {
    return get("password");
  }

  /** Options that trust the generated test CA and verify the host name "localhost", as a real deployment would. */
  public SmtpClientOptions verifiedOptions(int port) {
    return new SmtpClientOptions()
      .setHost(get("hostname"))
      .setPort(port)
      .setTrustOptions(new PemTrustOptions().addCertPath(get("ca.pem")))
      .setConnectTimeout(Duration.ofSeconds(10))
      .setGreetingTimeout(Duration.ofSeconds(20))
      .setCommandTimeout(Duration.ofSeconds(20))
      .setDataTimeout(Duration.ofSeconds(30));
  }

  /**
   * Waits for a delivered file under {@code dir} whose content satisfies {@code match}: Postfix delivers after its
   * 250 reply, asynchronously.
   */
  public static String awaitDelivered(Path dir, Predicate<String> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> found = find(dir, match);
      if (found.isPresent()) {
        return found.get();
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("no delivered message in " + dir + " within " + timeout);
  }

  private static Optional<String> find(Path dir, Predicate<String> match) {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).map(TestServers::read).filter(match).findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
