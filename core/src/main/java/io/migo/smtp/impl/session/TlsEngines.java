package io.migo.smtp.impl.session;

import io.migo.smtp.TlsEngine;
import io.migo.smtp.TlsMode;
import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;

/**
 * Turns {@link TlsEngine} into Vert.x's engine options, once per client. The one place that knows whether OpenSSL
 * is usable: {@link OpenSSLEngineOptions#isAvailable()} loads netty-tcnative's native library (or records why it
 * cannot, e.g. the jar is absent or {@code -Dio.netty.handler.ssl.noOpenSsl=true}), and the answer never changes in
 * a JVM.
 */
final class TlsEngines {

  private TlsEngines() {
  }

  /**
   * The engine for {@code choice}: AUTO falls back to the JDK's engine when OpenSSL is unavailable; OPENSSL then
   * fails with what to do about it. A client that never uses TLS ({@link TlsMode#NONE}) with AUTO gets the JDK's
   * without probing: loading the native library costs a cold start tens of milliseconds for nothing.
   */
  static SSLEngineOptions resolve(TlsEngine choice, TlsMode mode) {
    if (choice == TlsEngine.AUTO && mode == TlsMode.NONE) {
      return new JdkSSLEngineOptions();
    }
    return resolve(choice);
  }

  static SSLEngineOptions resolve(TlsEngine choice) {
    switch (choice) {
      case JDK:
        return new JdkSSLEngineOptions();
      case OPENSSL:
        if (!OpenSSLEngineOptions.isAvailable()) {
          throw new IllegalStateException("TlsEngine.OPENSSL was requested but Netty's OpenSSL engine is not"
            + " available (" + unavailabilityCause() + "); add io.netty:netty-tcnative-boringssl-static for this"
            + " platform to the class path, or use TlsEngine.AUTO or TlsEngine.JDK");
        }
        return openSsl();
      case AUTO:
      default:
        return OpenSSLEngineOptions.isAvailable() ? openSsl() : new JdkSSLEngineOptions();
    }
  }

  /**
   * BoringSSL's session cache stays on (Vert.x's default), so reconnecting sessions of a pool resume instead of
   * repeating the full handshake, as the JDK engine does by default.
   */
  private static SSLEngineOptions openSsl() {
    return new OpenSSLEngineOptions().setSessionCacheEnabled(true);
  }

  private static String unavailabilityCause() {
    Throwable cause = OpenSsl.unavailabilityCause();
    return cause == null ? "no reason given" : cause.toString();
  }
}
