package io.migo.smtp.impl.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;
import java.util.Objects;

/**
 * RFC 4616 PLAIN: one message {@code [authzid] NUL authcid NUL passwd} in UTF-8, sent as the initial response.
 *
 * <p>A server that did not take the initial response (or a caller that left it off the AUTH line) gets an empty
 * {@code 334}; the same message answers it. PLAIN has nothing more to say, so a second challenge is a protocol error.
 */
public final class PlainMechanism implements SaslMechanism {

  private final Credentials credentials;
  private final String authzid;
  private int challenges;

  public PlainMechanism(Credentials credentials) {
    this(credentials, null);
  }

  /** @param authzid the identity to act as, or null (the usual case) to act as the authenticated user */
  public PlainMechanism(Credentials credentials, String authzid) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.authzid = authzid;
    // NUL is the field separator: one inside a field would shift the fields the server reads.
    if (authzid != null && authzid.indexOf('\0') >= 0) {
      throw SaslMechanisms.invalidCredentials(AuthMechanism.PLAIN, "authorization identity", "NUL");
    }
    if (credentials.username().indexOf('\0') >= 0) {
      throw SaslMechanisms.invalidCredentials(AuthMechanism.PLAIN, "user name", "NUL");
    }
    if (credentials.secret().indexOf('\0') >= 0) {
      throw SaslMechanisms.invalidCredentials(AuthMechanism.PLAIN, "password", "NUL");
    }
  }

  @Override
  public AuthMechanism mechanism() {
    return AuthMechanism.PLAIN;
  }

  @Override
  public byte[] initialResponse() {
    String authz = authzid == null ? "" : authzid;
    return (authz + '\0' + credentials.username() + '\0' + credentials.secret()).getBytes(UTF_8);
  }

  @Override
  public byte[] respond(byte[] challenge) {
    // The challenge's content is ignored: PLAIN has no server data to use, and the answer is the same either way.
    if (++challenges > 1) {
      throw SaslMechanisms.tooManyChallenges(AuthMechanism.PLAIN, challenges);
    }
    return initialResponse();
  }

  @Override
  public String toString() {
    return "PlainMechanism[username=" + credentials.username()
        + (authzid == null ? "" : ", authzid=" + authzid) + "]";
  }
}
