package io.migo.smtp.benchmarks;

import io.migo.smtp.TlsEngine;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Locale;

/**
 * How the benchmark clients use TLS, from system properties: {@code -Dsmtp.tls=implicit} (default {@code none}),
 * {@code -Dsmtp.ca=<ca.pem>} (the CA every client trusts; host names are verified, so {@code -Dsmtp.host} must be a
 * name in the server's certificate, e.g. {@code localhost}), {@code -Dsmtp.tlsEngine=auto|jdk|openssl} (default auto:
 * migo's own default, and each peer's own default engine; jdk or openssl is applied to migo and vertx-mail-client
 * alike, both being Vert.x clients; Angus Mail always uses the JDK's).
 */
record TlsSettings(boolean implicit, String caPem, String engine) {

  static final TlsSettings NONE = new TlsSettings(false, null, "auto");

  static TlsSettings fromSystemProperties() {
    String mode = System.getProperty("smtp.tls", "none");
    switch (mode) {
      case "none":
        return NONE;
      case "implicit": {
        String ca = System.getProperty("smtp.ca");
        if (ca == null || !Files.isReadable(Path.of(ca))) {
          throw new IllegalArgumentException("-Dsmtp.tls=implicit needs -Dsmtp.ca=<the CA's PEM file>, got " + ca);
        }
        String engine = System.getProperty("smtp.tlsEngine", "auto").toLowerCase(Locale.ROOT);
        if (!engine.equals("auto") && !engine.equals("jdk") && !engine.equals("openssl")) {
          throw new IllegalArgumentException("-Dsmtp.tlsEngine must be auto, jdk or openssl, not " + engine);
        }
        return new TlsSettings(true, ca, engine);
      }
      default:
        throw new IllegalArgumentException("-Dsmtp.tls must be none or implicit, not " + mode);
    }
  }

  TlsEngine migoEngine() {
    return TlsEngine.valueOf(engine.toUpperCase(Locale.ROOT));
  }

  /** The engine for vertx-mail-client, or null to leave its default (the JDK's on Java 17). */
  SSLEngineOptions vertxEngine() {
    return switch (engine) {
      case "jdk" -> new JdkSSLEngineOptions();
      case "openssl" -> new OpenSSLEngineOptions();
      default -> null;
    };
  }

  /** For Angus Mail: a socket factory that trusts only the CA. */
  SSLSocketFactory socketFactory() throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(Path.of(caPem))) {
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca" + i++, c);
      }
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context.getSocketFactory();
  }

  @Override
  public String toString() {
    return implicit ? "implicit TLS (engine " + engine + ", CA " + caPem + ", host name verified)" : "no TLS";
  }
}
