package io.migo.smtp.impl.auth;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;

/** SCRAM-SHA-256 (RFC 7677): {@link ScramMechanism} with SHA-256, HMAC-SHA-256 and PBKDF2-HMAC-SHA-256. */
public final class ScramSha256Mechanism extends ScramMechanism {

  public ScramSha256Mechanism(Credentials credentials) {
    this(credentials, null);
  }

  /** @param clientNonce a fixed nonce, for tests with the RFC's vectors; null for a fresh random one */
  ScramSha256Mechanism(Credentials credentials, String clientNonce) {
    super(AuthMechanism.SCRAM_SHA_256, "SHA-256", "HmacSHA256", "PBKDF2WithHmacSHA256", credentials, clientNonce);
  }
}
