package io.migo.smtp.impl.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;
import java.util.Objects;

/**
 * Google's and Microsoft's XOAUTH2: the initial response is
 * {@code "user=" user ^A "auth=Bearer " token ^A ^A} (^A is U+0001), and {@link Credentials#secret()} is the access token.
 *
 * <p>On failure the server does not answer 535 at once: it sends a {@code 334} whose challenge is a JSON error such
 * as {@code {"status":"401","schemes":"bearer","scope":"..."}}, and waits for an empty response before its final
 * reply. That JSON says why (expired token, wrong scope), so it is kept for the error message.
 */
public final class XOAuth2Mechanism implements SaslMechanism {

  /** Bounds what a hostile or broken server can make us keep and print. */
  static final int MAX_SERVER_ERROR_CHARS = 512;

  private static final byte[] EMPTY = new byte[0];

  private final Credentials credentials;
  private int challenges;
  private String serverError;

  public XOAuth2Mechanism(Credentials credentials) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    // ^A separates the fields: one inside a field would let it forge another (e.g. a second "auth=").
    if (credentials.username().indexOf('\u0001') >= 0) {
      throw SaslMechanisms.invalidCredentials(AuthMechanism.XOAUTH2, "user name", "U+0001");
    }
    if (credentials.secret().indexOf('\u0001') >= 0) {
      throw SaslMechanisms.invalidCredentials(AuthMechanism.XOAUTH2, "token", "U+0001");
    }
  }

  @Override
  public AuthMechanism mechanism() {
    return AuthMechanism.XOAUTH2;
  }

  @Override
  public byte[] initialResponse() {
    return ("user=" + credentials.username() + "\u0001auth=Bearer " + credentials.secret() + "\u0001\u0001")
        .getBytes(UTF_8);
  }

  @Override
  public byte[] respond(byte[] challenge) {
    if (++challenges > 1) {
      throw SaslMechanisms.tooManyChallenges(AuthMechanism.XOAUTH2, challenges);
    }
    String text = new String(challenge, UTF_8);
    if (!text.isEmpty()) {
      serverError = text.length() > MAX_SERVER_ERROR_CHARS ? text.substring(0, MAX_SERVER_ERROR_CHARS) + "..." : text;
    }
    return EMPTY; // the empty answer lets the server finish with its final (negative) reply
  }

  @Override
  public String serverError() {
    return serverError;
  }

  @Override
  public String toString() {
    return "XOAuth2Mechanism[username=" + credentials.username() + "]";
  }
}
