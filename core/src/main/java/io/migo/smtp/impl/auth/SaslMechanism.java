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

  /**
   * Whether the next {@link #respond} call is costly enough to run off the event loop (SCRAM's PBKDF2: thousands of
   * HMACs, milliseconds to tens of milliseconds), so that other sessions on the same loop are not held up.
   */
  default boolean costly() {
    return false;
  }

  /**
   * Called when the server has answered 235. A mechanism that authenticates the server too (SCRAM's server
   * signature) throws {@code SmtpException(AUTH, SECURITY, ...)} here when the server has not proven itself, so that
   * a success reply alone cannot skip that check.
   */
  default void succeeded() {
  }

  /** An error the server reported inside a challenge (XOAUTH2's or OAUTHBEARER's JSON, SCRAM's e=), for the final error message; null if none. */
  default String serverError() {
    return null;
  }
}
