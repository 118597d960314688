package io.migo.smtp;

/**
 * Which TLS implementation encrypts the sessions. Certificate and host-name checks are the same with each: they come
 * from {@link SmtpClientOptions#setTrustOptions}, {@link SmtpClientOptions#setVerifyHostname} and friends, never from
 * the engine.
 */
public enum TlsEngine {
  /**
   * The default: Netty's OpenSSL engine (BoringSSL) when {@code io.netty:netty-tcnative-boringssl-static} for this
   * platform is on the class path, the JDK's engine otherwise. OpenSSL is chosen because it is the faster of the two
   * (benchmarks/RESULTS.md, "TLS"); without the native library nothing changes but the speed.
   */
  AUTO,
  /** The JDK's own engine (SunJSSE), always available. */
  JDK,
  /**
   * Netty's OpenSSL engine, required: creating the client fails with an {@link IllegalStateException} that says why
   * when its native library cannot be loaded, rather than falling back silently.
   */
  OPENSSL
}
