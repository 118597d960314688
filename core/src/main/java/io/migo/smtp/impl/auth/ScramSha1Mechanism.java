package io.migo.smtp.impl.auth;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;

/** SCRAM-SHA-1 (RFC 5802): {@link ScramMechanism} with SHA-1, HMAC-SHA-1 and PBKDF2-HMAC-SHA-1. */
public final class ScramSha1Mechanism extends ScramMechanism {

  public ScramSha1Mechanism(Credentials credentials) {
    this(credentials, null);
  }

  /** @param clientNonce a fixed nonce, for tests with the RFC's vectors; null for a fresh random one */
  ScramSha1Mechanism(Credentials credentials, String clientNonce) {
    super(AuthMechanism.SCRAM_SHA_1, "SHA-1", "HmacSHA1", "PBKDF2WithHmacSHA1", credentials, clientNonce);
  }
}
