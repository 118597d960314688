package io.migo.smtp.impl.auth;

import com.ongres.saslprep.SASLprep;
import io.migo.smtp.AuthMechanism;
import io.migo.smtp.SmtpException;

/**
 * RFC 4013 SASLprep, through {@code com.ongres.stringprep:saslprep} (the implementation the PostgreSQL JDBC driver
 * uses for its SCRAM): the Unicode tables (mapping, NFKC, prohibited and bidirectional characters) are a library's
 * job. A client prepares as a "query" (RFC 3454 §7): unassigned code points are allowed, because the server, not
 * the client, decides what a stored string may hold.
 */
final class SaslPrep {

  private static final SASLprep PROFILE = new SASLprep();

  private SaslPrep() {
  }

  /**
   * @param field names the value in the error ("password", "user name"); the value itself is never shown
   * @throws SmtpException phase AUTH, reason INVALID_INPUT, when SASLprep prohibits a character of the value
   */
  static String prepare(AuthMechanism mechanism, String field, String value) {
    try {
      return PROFILE.prepareQuery(value);
    } catch (IllegalArgumentException e) {
      // The library's message quotes the offending code point; that is part of the secret, so it is not kept.
      throw SaslMechanisms.invalidCredentials(mechanism, field,
          "characters that SASLprep (RFC 4013) prohibits (control, private-use or non-character code points, or "
              + "mixed bidirectional text)");
    }
  }
}
