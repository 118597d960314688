package io.migo.smtp.impl.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;
import java.util.Objects;

/**
 * The LOGIN mechanism (draft-murchison-sasl-login): the first challenge is answered with the user name, the second
 * with the password, both UTF-8.
 *
 * <p>The prompt text is deliberately ignored: servers write "Username:", "User Name\0" or anything else, and only
 * the order of the challenges is reliable.
 */
public final class LoginMechanism implements SaslMechanism {

  private final Credentials credentials;
  private int challenges;

  public LoginMechanism(Credentials credentials) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
  }

  @Override
  public AuthMechanism mechanism() {
    return AuthMechanism.LOGIN;
  }

  /** None: sending the user name on the AUTH line is optional in the draft and not understood by every server. */
  @Override
  public byte[] initialResponse() {
    return null;
  }

  @Override
  public byte[] respond(byte[] challenge) {
    return switch (++challenges) {
      case 1 -> credentials.username().getBytes(UTF_8);
      case 2 -> credentials.secret().getBytes(UTF_8);
      default -> throw SaslMechanisms.tooManyChallenges(AuthMechanism.LOGIN, challenges);
    };
  }

  @Override
  public String toString() {
    return "LoginMechanism[username=" + credentials.username() + "]";
  }
}
