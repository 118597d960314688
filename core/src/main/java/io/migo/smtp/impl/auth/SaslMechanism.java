package io.migo.smtp.impl.auth;

import io.migo.smtp.AuthMechanism;

/**
 * One client side of one SASL exchange: bytes in, bytes out. Base64, the {@code AUTH} line and {@code 334}
 * continuations belong to the caller, so each mechanism is only its RFC.
 *
 * <p>An instance serves a single authentication attempt; create a new one (see {@link SaslMechanisms#create}) per try.
 * Implementations keep the secret out of {@code toString()} and of every exception message.
 */
public interface SaslMechanism {

  AuthMechanism mechanism();

  /** Raw bytes (before base64) to send on the AUTH line, or null when the mechanism waits for a first challenge. */
  byte[] initialResponse();

  /**
   * Answers one server challenge (already base64-decoded; may be empty). Throws
   * {@code SmtpException(AUTH, PROTOCOL, ...)} when the server asks for more steps than the mechanism has.
   */
  byte[] respond(byte[] challenge);

  /** An error the server reported inside a challenge (XOAUTH2's JSON), for the final error message; null if none. */
  default String serverError() {
    return null;
  }
}
