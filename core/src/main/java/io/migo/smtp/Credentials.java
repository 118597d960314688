package io.migo.smtp;

import java.util.Objects;

/**
 * A user name and its secret: a password for PLAIN, LOGIN, CRAM-MD5 and SCRAM, an OAuth 2.0 access token for XOAUTH2
 * and OAUTHBEARER.
 * {@link #toString()} never shows the secret.
 */
public final class Credentials {

  private final String username;
  private final String secret;

  public Credentials(String username, String secret) {
    this.username = Objects.requireNonNull(username, "username");
    this.secret = Objects.requireNonNull(secret, "secret");
  }

  public String username() {
    return username;
  }

  /** The password, or for XOAUTH2 and OAUTHBEARER the access token. */
  public String secret() {
    return secret;
  }

  @Override
  public String toString() {
    return "Credentials[username=" + username + ", secret=***]";
  }
}
