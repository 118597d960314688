package io.migo.smtp.impl.auth;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;
import io.migo.smtp.RelayAddress;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;

/** The single place that maps an {@link AuthMechanism} to its implementation. */
public final class SaslMechanisms {

  private SaslMechanisms() {
  }

  /**
   * A fresh mechanism for one authentication attempt.
   *
   * @param relay the host and port the session connected to (as configured, not resolved): OAUTHBEARER sends them
   * @throws SmtpException phase AUTH, reason INVALID_INPUT, when the mechanism cannot frame the credentials
   */
  public static SaslMechanism create(AuthMechanism mechanism, Credentials credentials, RelayAddress relay) {
    return switch (mechanism) {
      case PLAIN -> new PlainMechanism(credentials);
      case LOGIN -> new LoginMechanism(credentials);
      case CRAM_MD5 -> new CramMd5Mechanism(credentials);
      case XOAUTH2 -> new XOAuth2Mechanism(credentials);
      case SCRAM_SHA_256 -> new ScramSha256Mechanism(credentials);
      case SCRAM_SHA_1 -> new ScramSha1Mechanism(credentials);
      case OAUTHBEARER -> new OAuthBearerMechanism(credentials, relay);
    };
  }

  /** The server sent a challenge after the mechanism had nothing left to say. */
  static SmtpException tooManyChallenges(AuthMechanism mechanism, int challenge) {
    return new SmtpException(SmtpPhase.AUTH, Reason.PROTOCOL,
        "server sent challenge #" + challenge + " but " + mechanism.saslName() + " has no step left to answer it");
  }

  /** The caller's credentials cannot be framed by the mechanism; names the field, never its value. */
  static SmtpException invalidCredentials(AuthMechanism mechanism, String field, String forbidden) {
    return new SmtpException(SmtpPhase.AUTH, Reason.INVALID_INPUT,
        mechanism.saslName() + ": the " + field + " must not contain " + forbidden);
  }
}
