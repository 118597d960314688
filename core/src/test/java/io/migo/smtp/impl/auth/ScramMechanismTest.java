package io.migo.smtp.impl.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SCRAM on exact bytes: the RFCs' own exchanges, then every way the server's side can be wrong. */
class ScramMechanismTest {

  private static final Credentials USER_PENCIL = new Credentials("user", "pencil");

  // RFC 5802 §5 (SCRAM-SHA-1).
  private static final String SHA1_NONCE = "fyko+d2lbbFgONRv9qkxdawL";
  private static final String SHA1_SERVER_FIRST = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";
  private static final String SHA1_CLIENT_FINAL =
      "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=";
  private static final String SHA1_SERVER_FINAL = "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=";

  // RFC 7677 §3 (SCRAM-SHA-256).
  private static final String SHA256_NONCE = "rOprNGfwEbeRWgbNEkqO";
  private static final String SHA256_SERVER_FIRST =
      "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
  private static final String SHA256_CLIENT_FINAL =
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
  private static final String SHA256_SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void rfc5802ScramSha1Exchange() {
    ScramSha1Mechanism scram = new ScramSha1Mechanism(USER_PENCIL, SHA1_NONCE);

    assertThat(scram.mechanism()).isEqualTo(AuthMechanism.SCRAM_SHA_1);
    assertThat(new String(scram.initialResponse(), UTF_8)).isEqualTo("n,,n=user,r=" + SHA1_NONCE);
    assertThat(new String(scram.respond(bytes(SHA1_SERVER_FIRST)), UTF_8)).isEqualTo(SHA1_CLIENT_FINAL);
    assertThat(scram.respond(bytes(SHA1_SERVER_FINAL))).isEmpty();
    scram.succeeded(); // the server proved itself: no exception
  }

  @Test
  void rfc7677ScramSha256Exchange() {
    ScramSha256Mechanism scram = new ScramSha256Mechanism(USER_PENCIL, SHA256_NONCE);

    assertThat(scram.mechanism()).isEqualTo(AuthMechanism.SCRAM_SHA_256);
    assertThat(new String(scram.initialResponse(), UTF_8)).isEqualTo("n,,n=user,r=" + SHA256_NONCE);
    assertThat(new String(scram.respond(bytes(SHA256_SERVER_FIRST)), UTF_8)).isEqualTo(SHA256_CLIENT_FINAL);
    assertThat(scram.respond(bytes(SHA256_SERVER_FINAL))).isEmpty();
    scram.succeeded();
  }

  @Test
  void userNameCommasAndEqualsSignsAreEscaped() {
    ScramSha256Mechanism scram = new ScramSha256Mechanism(new Credentials("a=b,c", "pencil"), SHA256_NONCE);

    assertThat(new String(scram.initialResponse(), UTF_8)).isEqualTo("n,,n=a=3Db=2Cc,r=" + SHA256_NONCE);
  }

  /** RFC 4013 §3 examples: SOFT HYPHEN maps to nothing, so "I\u00ADX" authenticates as "IX" would. */
  @Test
  void passwordIsSaslPrepped() {
    ScramSha256Mechanism prepped = new ScramSha256Mechanism(new Credentials("user", "pen\u00ADcil"), SHA256_NONCE);
    prepped.initialResponse();

    assertThat(new String(prepped.respond(bytes(SHA256_SERVER_FIRST)), UTF_8)).isEqualTo(SHA256_CLIENT_FINAL);
  }

  @Test
  void passwordThatSaslPrepProhibitsIsRefusedWithoutShowingIt() {
    assertThatThrownBy(() -> new ScramSha256Mechanism(new Credentials("user", "bell\u0007secret")))
        .isInstanceOfSatisfying(SmtpException.class, e -> {
          assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
          assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT);
          assertThat(e.getMessage()).contains("password", "SASLprep").doesNotContain("bell").doesNotContain("0x0007");
        });
  }

  @Test
  void randomNoncesDifferAndArePrintable() {
    Set<String> nonces = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      String first = new String(new ScramSha256Mechanism(USER_PENCIL).initialResponse(), UTF_8);
      assertThat(first).startsWith("n,,n=user,r=");
      String nonce = first.substring("n,,n=user,r=".length());
      assertThat(ScramServerFirst.isPrintable(nonce)).isTrue();
      assertThat(nonce).hasSizeGreaterThanOrEqualTo(24);
      nonces.add(nonce);
    }
    assertThat(nonces).hasSize(20);
  }

  @Test
  void wrongServerSignatureFailsAsServerNotProven() {
    ScramSha256Mechanism scram = started();

    assertServerNotProven(() -> scram.respond(bytes("v=" + "A".repeat(43) + "=")), "does not match");
  }

  @Test
  void serverSignatureOfAnotherHashFails() {
    ScramSha1Mechanism scram = new ScramSha1Mechanism(USER_PENCIL, SHA1_NONCE);
    scram.initialResponse();
    scram.respond(bytes(SHA1_SERVER_FIRST));

    assertServerNotProven(() -> scram.respond(bytes(SHA256_SERVER_FINAL)), "does not match");
  }

  @Test
  void serverFinalWithoutSignatureFails() {
    ScramSha256Mechanism scram = started();

    assertServerNotProven(() -> scram.respond(bytes("x=something")), "no v=");
  }

  @Test
  void successWithoutServerFinalFails() {
    ScramSha256Mechanism scram = started();

    assertServerNotProven(scram::succeeded, "without sending its server-final");
  }

  @Test
  void serverErrorAttributeFailsTheAuthenticationAndIsReported() {
    ScramSha256Mechanism scram = started();

    assertThatThrownBy(() -> scram.respond(bytes("e=invalid-proof")))
        .isInstanceOfSatisfying(SmtpException.class, e -> {
          assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
          assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
          assertThat(e.getMessage()).contains("could not prove it knows the password", "e=invalid-proof");
        });
    assertThat(scram.serverError()).isEqualTo("invalid-proof");
  }

  @Test
  void serverNonceThatDoesNotExtendOursIsRefused() {
    ScramSha256Mechanism scram = new ScramSha256Mechanism(USER_PENCIL, SHA256_NONCE);
    scram.initialResponse();

    assertProtocolError(() -> scram.respond(bytes("r=someoneElsesNonce123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")),
        "does not extend the client's nonce");
    ScramSha256Mechanism echoing = new ScramSha256Mechanism(USER_PENCIL, SHA256_NONCE);
    echoing.initialResponse();
    assertProtocolError(() -> echoing.respond(bytes("r=" + SHA256_NONCE + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")),
        "does not extend the client's nonce");
  }

  @Test
  void iterationCountBelowTheMinimumIsRefused() {
    assertIterationsRefused("4095", "fewer than the 4096");
    assertIterationsRefused("1", "fewer than the 4096");
    assertIterationsRefused("0", "fewer than the 4096");
  }

  @Test
  void absurdIterationCountIsRefused() {
    assertIterationsRefused("100001", "more than this client's limit of 100000");
    assertIterationsRefused("99999999999999999999", "more than a billion");
  }

  @Test
  void iterationCountAtTheBoundsIsAccepted() {
    for (int count : new int[] {ScramMechanism.MIN_ITERATIONS, ScramMechanism.MAX_ITERATIONS}) {
      ScramSha256Mechanism scram = new ScramSha256Mechanism(USER_PENCIL, SHA256_NONCE);
      scram.initialResponse();
      String reply = new String(scram.respond(bytes("r=" + SHA256_NONCE + "srv,s=c2FsdA==,i=" + count)), UTF_8);
      assertThat(reply).startsWith("c=biws,r=" + SHA256_NONCE + "srv,p=");
    }
  }

  @Test
  void malformedServerFirstMessagesAreProtocolErrors() {
    String nonce = "r=" + SHA256_NONCE + "srv";
    String[][] cases = {
        {"", "expected r=, s= and i="},
        {"garbage", "expected r=, s= and i="},
        {"m=ext," + nonce + ",s=c2FsdA==,i=4096", "mandatory extension"},
        {"s=c2FsdA==," + nonce + ",i=4096", "expected r= in this place"},
        {nonce + ",i=4096,s=c2FsdA==", "expected s= in this place"},
        {nonce + ",s=not*base64,i=4096", "salt s= is not base64"},
        {nonce + ",s=,i=4096", "salt s= is empty"},
        {nonce + ",s=c2FsdA==,i=-4096", "not a decimal number"},
        {nonce + ",s=c2FsdA==,i=", "not a decimal number"},
        {nonce + ",s=c2FsdA==,i=4096x", "not a decimal number"},
        {"r=,s=c2FsdA==,i=4096", "nonce r= is empty"},
        {"r=" + SHA256_NONCE + "s\u0001rv,s=c2FsdA==,i=4096", "not printable"},
    };
    for (String[] c : cases) {
      ScramSha256Mechanism scram = new ScramSha256Mechanism(USER_PENCIL, SHA256_NONCE);
      scram.initialResponse();
      assertProtocolError(() -> scram.respond(bytes(c[0])), c[1]);
    }
  }

  @Test
  void extensionsAfterTheIterationCountAreIgnored() {
    ScramSha256Mechanism scram = new ScramSha256Mechanism(USER_PENCIL, SHA256_NONCE);
    scram.initialResponse();

    assertThat(new String(scram.respond(bytes(SHA256_SERVER_FIRST + ",x=future")), UTF_8))
        .startsWith("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=");
  }

  @Test
  void aFourthChallengeIsAProtocolError() {
    ScramSha256Mechanism scram = started();
    scram.respond(bytes(SHA256_SERVER_FINAL));

    assertProtocolError(() -> scram.respond(new byte[0]), "no step left");
  }

  @Test
  void neverShowsThePassword() {
    ScramSha256Mechanism scram = new ScramSha256Mechanism(new Credentials("user", "pencil"), SHA256_NONCE);

    assertThat(scram.toString()).contains("user").doesNotContain("pencil");
  }

  private static ScramSha256Mechanism started() {
    ScramSha256Mechanism scram = new ScramSha256Mechanism(USER_PENCIL, SHA256_NONCE);
    scram.initialResponse();
    scram.respond(bytes(SHA256_SERVER_FIRST));
    return scram;
  }

  private static void assertIterationsRefused(String count, String words) {
    ScramSha256Mechanism scram = new ScramSha256Mechanism(USER_PENCIL, SHA256_NONCE);
    scram.initialResponse();
    assertThatThrownBy(() -> scram.respond(bytes("r=" + SHA256_NONCE + "srv,s=c2FsdA==,i=" + count)))
        .isInstanceOfSatisfying(SmtpException.class, e -> {
          assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
          assertThat(e.reason()).isEqualTo(Reason.SECURITY);
          assertThat(e.getMessage()).contains(words).contains("SCRAM-SHA-256");
        });
  }

  private static void assertServerNotProven(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String words) {
    assertThatThrownBy(call).isInstanceOfSatisfying(SmtpException.class, e -> {
      assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
      assertThat(e.reason()).isEqualTo(Reason.SECURITY);
      assertThat(e.getMessage()).contains("the server could not prove it knows the password", words,
          "the mail was not sent");
    });
  }

  private static void assertProtocolError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String words) {
    assertThatThrownBy(call).isInstanceOfSatisfying(SmtpException.class, e -> {
      assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
      assertThat(e.reason()).isEqualTo(Reason.PROTOCOL);
      assertThat(e.getMessage()).contains(words);
    });
  }
}
