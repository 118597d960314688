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
import java.util.Properties;
import java.util.function.Predicate;

/**
 * The real servers that {@code scripts/test-servers.sh start} runs (Postfix with Cyrus SASL, smtp-sink, Nodemailer's
 * smtp-server, Dovecot submission with an oauth2 passdb), described by the properties file that script writes. Under CI a missing file fails the test; on a
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
   * Waits for a delivered message in the Maildir {@code dir} whose content satisfies {@code match}: Postfix delivers
   * after its 250, asynchronously. Bounded by progress ({@link Maildir}): fails only when the Maildir has not changed
   * for {@code stallLimit}, so a slow machine waits longer instead of failing.
   */
  public static String awaitDelivered(Path dir, Predicate<String> match, Duration stallLimit) {
    return new Maildir(dir, null).awaitOne(match, "delivered message in " + dir, stallLimit);
  }
}
