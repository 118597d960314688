package io.migo.smtp.impl.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MechanismSelectorTest {

  private static final boolean TLS = true;
  private static final boolean CLEARTEXT = false;
  private static final boolean PLAINTEXT_OK = true;
  private static final boolean STRICT = false;
  private static final String ALL = "PLAIN LOGIN CRAM-MD5 XOAUTH2";
  private static final String EVERY = "PLAIN LOGIN CRAM-MD5 XOAUTH2 SCRAM-SHA-256 SCRAM-SHA-1 OAUTHBEARER";

  /** channel, allowPlaintextAuth, advertised, allowed, chosen SASL name. */
  static Stream<Arguments> choices() {
    return Stream.of(
        // Encrypted: fewest round trips first.
        Arguments.of(TLS, STRICT, ALL, ALL, "PLAIN"),
        Arguments.of(TLS, STRICT, "LOGIN CRAM-MD5 XOAUTH2", ALL, "XOAUTH2"),
        Arguments.of(TLS, STRICT, "CRAM-MD5 LOGIN", ALL, "LOGIN"),
        Arguments.of(TLS, STRICT, "CRAM-MD5", ALL, "CRAM-MD5"),
        Arguments.of(TLS, PLAINTEXT_OK, ALL, ALL, "PLAIN"),
        Arguments.of(TLS, STRICT, ALL, "LOGIN", "LOGIN"),
        Arguments.of(TLS, STRICT, ALL, "XOAUTH2", "XOAUTH2"),
        Arguments.of(TLS, STRICT, ALL, "CRAM-MD5 LOGIN", "LOGIN"),
        Arguments.of(TLS, STRICT, "GSSAPI NTLM LOGIN", ALL, "LOGIN"), // unknown names ignored
        // Cleartext: the secret stays hidden first; revealing mechanisms only with allowPlaintextAuth.
        Arguments.of(CLEARTEXT, STRICT, ALL, ALL, "CRAM-MD5"),
        Arguments.of(CLEARTEXT, PLAINTEXT_OK, ALL, ALL, "CRAM-MD5"),
        Arguments.of(CLEARTEXT, PLAINTEXT_OK, "LOGIN PLAIN XOAUTH2", ALL, "PLAIN"),
        Arguments.of(CLEARTEXT, PLAINTEXT_OK, "LOGIN XOAUTH2", ALL, "XOAUTH2"),
        Arguments.of(CLEARTEXT, PLAINTEXT_OK, "LOGIN", ALL, "LOGIN"),
        Arguments.of(CLEARTEXT, PLAINTEXT_OK, ALL, "PLAIN LOGIN", "PLAIN"),
        // SCRAM first on every channel whenever offered: SHA-256, then SHA-1.
        Arguments.of(TLS, STRICT, EVERY, EVERY, "SCRAM-SHA-256"),
        Arguments.of(CLEARTEXT, STRICT, EVERY, EVERY, "SCRAM-SHA-256"),
        Arguments.of(CLEARTEXT, PLAINTEXT_OK, EVERY, EVERY, "SCRAM-SHA-256"),
        Arguments.of(TLS, STRICT, "PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1", EVERY, "SCRAM-SHA-1"),
        Arguments.of(CLEARTEXT, STRICT, "PLAIN CRAM-MD5 SCRAM-SHA-1", EVERY, "SCRAM-SHA-1"),
        Arguments.of(TLS, STRICT, EVERY, "PLAIN SCRAM-SHA-1", "SCRAM-SHA-1"),
        Arguments.of(TLS, STRICT, "PLAIN LOGIN", EVERY, "PLAIN"),
        // OAUTHBEARER over XOAUTH2.
        Arguments.of(TLS, STRICT, EVERY, "XOAUTH2 OAUTHBEARER", "OAUTHBEARER"),
        Arguments.of(TLS, STRICT, "XOAUTH2", "XOAUTH2 OAUTHBEARER", "XOAUTH2"),
        Arguments.of(CLEARTEXT, PLAINTEXT_OK, "XOAUTH2 OAUTHBEARER", "XOAUTH2 OAUTHBEARER", "OAUTHBEARER"));
  }

  @ParameterizedTest(name = "tls={0} plaintextOk={1} offered=[{2}] allowed=[{3}] -> {4}")
  @MethodSource("choices")
  void chooses(boolean encrypted, boolean allowPlaintextAuth, String advertised, String allowed, String expected) {
    AuthMechanism chosen = MechanismSelector.select(names(advertised), mechanisms(allowed), encrypted, allowPlaintextAuth);

    assertThat(chosen.saslName()).isEqualTo(expected);
  }

  /** channel, allowPlaintextAuth, advertised, allowed, words the message must contain. */
  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(TLS, STRICT, "", ALL, new String[] {"server does not offer AUTH"}),
        Arguments.of(CLEARTEXT, PLAINTEXT_OK, "", ALL, new String[] {"server does not offer AUTH"}),
        Arguments.of(TLS, STRICT, "NTLM GSSAPI", ALL,
            new String[] {"server offers [GSSAPI, NTLM]; allowed are [PLAIN, LOGIN, CRAM-MD5, XOAUTH2]"}),
        Arguments.of(CLEARTEXT, PLAINTEXT_OK, "PLAIN LOGIN", "CRAM-MD5",
            new String[] {"server offers [LOGIN, PLAIN]; allowed are [CRAM-MD5]"}),
        Arguments.of(TLS, STRICT, "PLAIN", "", new String[] {"server offers [PLAIN]; allowed are []"}),
        Arguments.of(CLEARTEXT, STRICT, "PLAIN LOGIN", ALL, new String[] {
            "server offers only PLAIN, LOGIN,", "unencrypted", "use TLS or set allowPlaintextAuth"}),
        Arguments.of(CLEARTEXT, STRICT, "XOAUTH2 NTLM", ALL, new String[] {
            "server offers only XOAUTH2,", "unencrypted", "allowPlaintextAuth"}),
        Arguments.of(CLEARTEXT, STRICT, "OAUTHBEARER XOAUTH2", "OAUTHBEARER XOAUTH2", new String[] {
            "server offers only XOAUTH2, OAUTHBEARER,", "unencrypted", "allowPlaintextAuth"}),
        // SCRAM would have worked: say so.
        Arguments.of(CLEARTEXT, STRICT, "PLAIN SCRAM-SHA-256", "PLAIN", new String[] {
            "server offers only PLAIN,", "or allow SCRAM-SHA-256"}),
        // CRAM-MD5 would have worked: say so.
        Arguments.of(CLEARTEXT, STRICT, ALL, "LOGIN PLAIN", new String[] {
            "server offers only PLAIN, LOGIN,", "allowPlaintextAuth", "or allow CRAM-MD5"}));
  }

  @ParameterizedTest(name = "tls={0} plaintextOk={1} offered=[{2}] allowed=[{3}] -> refused")
  @MethodSource("refusals")
  void refuses(boolean encrypted, boolean allowPlaintextAuth, String advertised, String allowed, String[] words) {
    assertThatThrownBy(() ->
        MechanismSelector.select(names(advertised), mechanisms(allowed), encrypted, allowPlaintextAuth))
        .isInstanceOfSatisfying(SmtpException.class, e -> {
          assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
          assertThat(e.reason()).isEqualTo(Reason.SECURITY);
          assertThat(e.getMessage()).contains(words);
        });
  }

  private static Set<String> names(String spaceSeparated) {
    return Arrays.stream(spaceSeparated.split(" ")).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
  }

  private static Set<AuthMechanism> mechanisms(String spaceSeparated) {
    Set<AuthMechanism> set = EnumSet.noneOf(AuthMechanism.class);
    names(spaceSeparated).forEach(name -> set.add(AuthMechanism.fromSaslName(name)));
    return set;
  }
}
