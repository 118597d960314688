package io.migo.smtp;

/** How a session protects itself with TLS. A policy, not a set of booleans: each value says what happens when TLS is unavailable. */
public enum TlsMode {
  /** Never use TLS. Credentials that would cross the wire in clear are still refused unless plaintext AUTH is allowed. */
  NONE,
  /**
   * Use STARTTLS when the server offers it; continue in clear when it does not advertise it. A server that
   * advertises STARTTLS and then refuses it, or a failed handshake, still fails the session: no silent downgrade
   * after the attempt began.
   */
  STARTTLS_OPTIONAL,
  /**
   * STARTTLS is mandatory (submission port 587): without it the session fails before any credential is sent. The
   * default, except on port 465.
   */
  STARTTLS_REQUIRED,
  /**
   * TLS from the first byte (submissions port 465, RFC 8314); the default on port 465 when no mode is set. Such a
   * port says nothing until the TLS handshake: reached in another mode it stays silent, and the session fails after
   * {@link SmtpClientOptions#setSilentGreetingTimeout the silent-greeting timeout} with a hint to use this mode.
   */
  IMPLICIT;

  /** The port a submission relay uses for this mode when none is configured. */
  public int defaultPort() {
    return this == IMPLICIT ? 465 : 587;
  }
}
