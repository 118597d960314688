package io.migo.smtp.impl.auth;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Chooses the SASL mechanism to authenticate with: one the server advertises and the caller allows, by preference.
 *
 * <p>SCRAM-SHA-256, then SCRAM-SHA-1, come first on every channel whenever the server offers them: the password
 * never crosses the wire, and the server has to prove that it knows it, which no other mechanism here checks.
 * After them, on an encrypted channel the secret is protected by TLS, so the fewest round trips win: PLAIN,
 * OAUTHBEARER, XOAUTH2 (one round trip each), then LOGIN, then CRAM-MD5. On an unencrypted channel mechanisms that
 * do not reveal the secret win: CRAM-MD5, then, only if {@code allowPlaintextAuth} is set, PLAIN, OAUTHBEARER,
 * XOAUTH2, LOGIN. A mechanism that reveals the secret ({@link AuthMechanism#revealsSecret()}) is never chosen on an
 * unencrypted channel unless {@code allowPlaintextAuth} is set. OAUTHBEARER (the standard, RFC 7628) is preferred
 * over XOAUTH2 when both are offered. Advertised names this client does not know are ignored.
 *
 * <p>The selector does not know what kind of secret the credentials hold: callers with an OAuth 2.0 token should
 * allow only OAUTHBEARER and XOAUTH2, and callers with a password should not allow them.
 */
public final class MechanismSelector {

  private static final List<AuthMechanism> ENCRYPTED_PREFERENCE = List.of(
      AuthMechanism.SCRAM_SHA_256, AuthMechanism.SCRAM_SHA_1, AuthMechanism.PLAIN, AuthMechanism.OAUTHBEARER,
      AuthMechanism.XOAUTH2, AuthMechanism.LOGIN, AuthMechanism.CRAM_MD5);
  private static final List<AuthMechanism> CLEARTEXT_PREFERENCE = List.of(
      AuthMechanism.SCRAM_SHA_256, AuthMechanism.SCRAM_SHA_1, AuthMechanism.CRAM_MD5, AuthMechanism.PLAIN,
      AuthMechanism.OAUTHBEARER, AuthMechanism.XOAUTH2, AuthMechanism.LOGIN);

  private MechanismSelector() {
  }

  /**
   * @param advertised the server's AUTH capability: SASL names, upper-case
   * @param allowed the mechanisms the caller permits
   * @param encrypted whether the channel is protected by TLS
   * @param allowPlaintextAuth whether the caller accepts sending the secret over an unencrypted channel
   * @return the preferred usable mechanism
   * @throws SmtpException with phase AUTH and reason SECURITY when none is usable; the message says why
   */
  public static AuthMechanism select(Set<String> advertised, Set<AuthMechanism> allowed, boolean encrypted,
                                     boolean allowPlaintextAuth) {
    if (advertised.isEmpty()) {
      throw failure("server does not offer AUTH");
    }
    // Offered by the server and allowed by the caller, in preference order for this channel.
    List<AuthMechanism> usable = new ArrayList<>();
    for (AuthMechanism m : encrypted ? ENCRYPTED_PREFERENCE : CLEARTEXT_PREFERENCE) {
      if (allowed.contains(m) && advertised.contains(m.saslName())) {
        usable.add(m);
      }
    }
    if (usable.isEmpty()) {
      throw failure("server offers " + describeOffered(advertised) + "; allowed are " + describeAllowed(allowed));
    }
    for (AuthMechanism m : usable) {
      if (encrypted || allowPlaintextAuth || !m.revealsSecret()) {
        return m;
      }
    }
    // Only secret-revealing mechanisms remain on a cleartext channel.
    String message = "server offers only " + String.join(", ", names(usable))
        + ", which would send the credentials unencrypted; use TLS or set allowPlaintextAuth";
    List<String> safeButNotAllowed = new ArrayList<>();
    for (AuthMechanism m : CLEARTEXT_PREFERENCE) {
      if (!m.revealsSecret() && !allowed.contains(m) && advertised.contains(m.saslName())) {
        safeButNotAllowed.add(m.saslName());
      }
    }
    if (!safeButNotAllowed.isEmpty()) {
      message += " (or allow " + String.join(", ", safeButNotAllowed) + ", which the server also offers)";
    }
    throw failure(message);
  }

  /** Whether the server advertises at least one mechanism the caller allows (whatever the channel). */
  public static boolean offersAny(Set<String> advertised, Set<AuthMechanism> allowed) {
    for (AuthMechanism m : allowed) {
      if (advertised.contains(m.saslName())) {
        return true;
      }
    }
    return false;
  }

  /** The advertised names, sorted, for messages: {@code [CRAM-MD5, LOGIN]}. */
  public static String describeOffered(Set<String> advertised) {
    return new TreeSet<>(advertised).toString();
  }

  /** The allowed mechanisms' SASL names, in declaration order, for messages. */
  public static String describeAllowed(Set<AuthMechanism> allowed) {
    return names(allowed).toString();
  }

  /** SASL names in declaration order, for stable messages. */
  private static List<String> names(Iterable<AuthMechanism> mechanisms) {
    Set<AuthMechanism> sorted = new TreeSet<>();
    mechanisms.forEach(sorted::add);
    return sorted.stream().map(AuthMechanism::saslName).collect(Collectors.toList());
  }

  private static SmtpException failure(String message) {
    return new SmtpException(SmtpPhase.AUTH, Reason.SECURITY, message);
  }
}
