package io.migo.smtp.examples;

import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.TlsMode;
import io.migo.smtp.demo.EmbeddedSmtpServer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where an example sends: a relay, the certificate to trust, and the credentials. Every example takes one of these,
 * so the same code runs against the embedded demo server (its tests, or a run with no arguments) and against a real
 * relay ({@code HOST PORT CA_PEM_FILE USER SECRET} on the command line).
 *
 * <p>TLS is STARTTLS, required, with the host name verified against the certificate: what a submission relay on
 * port 587 expects, and nothing that would teach a bad habit.
 */
public record ExampleSettings(String host, int port, TrustOptions trust, String user, String secret) {

  public ExampleSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(secret, "secret");
  }

  /** The embedded server, trusting exactly its generated certificate. */
  public static ExampleSettings of(EmbeddedSmtpServer server) {
    return new ExampleSettings(server.host(), server.port(), server.trustOptions(), server.user(), server.password());
  }

  /**
   * {@code HOST PORT CA_PEM_FILE USER SECRET}.
   *
   * @throws IllegalArgumentException saying what is wrong with them, for a usage message
   */
  public static ExampleSettings fromArgs(String[] args) {
    if (args.length != 5) {
      throw new IllegalArgumentException("expected 5 arguments, got " + args.length);
    }
    int port = port(args[1]);
    Path ca = Path.of(args[2]);
    if (!Files.isReadable(ca)) {
      throw new IllegalArgumentException("CA certificate file is not readable: " + ca);
    }
    return new ExampleSettings(args[0], port, new PemTrustOptions().addCertPath(ca.toString()), args[3], args[4]);
  }

  private static int port(String spelled) {
    try {
      int port = Integer.parseInt(spelled);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // Said below, in words.
    }
    throw new IllegalArgumentException("PORT must be a number from 1 to 65535, was '" + spelled + "'");
  }

  /** STARTTLS required, the given trust, host name verified, user and password (AUTH PLAIN or LOGIN over TLS). */
  public SmtpClientOptions clientOptions() {
    return new SmtpClientOptions()
      .setHost(host)
      .setPort(port)
      .setTlsMode(TlsMode.STARTTLS_REQUIRED)
      .setTrustOptions(trust)
      .setVerifyHostname(true)
      .setCredentials(user, secret)
      .setConnectTimeout(Duration.ofSeconds(10))
      .setCommandTimeout(Duration.ofSeconds(30));
  }
}
