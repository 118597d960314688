package io.migo.smtp;

import java.util.Locale;

/** SASL mechanisms this client can authenticate with. */
public enum AuthMechanism {
  /** RFC 4616: one round trip with the initial response; sends the password, so TLS is required by default. */
  PLAIN("PLAIN", true),
  /** The de-facto LOGIN mechanism: user name and password in two challenges; TLS required by default. */
  LOGIN("LOGIN", true),
  /** RFC 2195: keyed MD5 of a server challenge; never reveals the password, so it may run without TLS. */
  CRAM_MD5("CRAM-MD5", false),
  /** Google's and Microsoft's OAuth 2.0 bearer token mechanism; a token is a credential, so TLS is required by default. */
  XOAUTH2("XOAUTH2", true),
  /**
   * RFC 7677: salted challenge-response with SHA-256. The password never crosses the wire and the server must prove
   * that it knows it too; preferred whenever the server offers it.
   */
  SCRAM_SHA_256("SCRAM-SHA-256", false),
  /** RFC 5802: SCRAM with SHA-1; as {@link #SCRAM_SHA_256}, chosen after it. */
  SCRAM_SHA_1("SCRAM-SHA-1", false),
  /**
   * RFC 7628: the standard OAuth 2.0 bearer token mechanism (host, port and token in one message); the token is a
   * credential, so TLS is required by default. Preferred over {@link #XOAUTH2} when both are offered.
   */
  OAUTHBEARER("OAUTHBEARER", true);

  private final String saslName;
  private final boolean revealsSecret;

  AuthMechanism(String saslName, boolean revealsSecret) {
    this.saslName = saslName;
    this.revealsSecret = revealsSecret;
  }

  /** The name as written on the wire and in the server's AUTH capability, e.g. {@code CRAM-MD5}. */
  public String saslName() {
    return saslName;
  }

  /** Whether the secret itself crosses the wire, so that the mechanism must not be used without TLS by default. */
  public boolean revealsSecret() {
    return revealsSecret;
  }

  /** Looks a mechanism up by its SASL name, case-insensitively; {@code null} when this client does not know it. */
  public static AuthMechanism fromSaslName(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    for (AuthMechanism m : values()) {
      if (m.saslName.equals(upper)) {
        return m;
      }
    }
    return null;
  }
}
