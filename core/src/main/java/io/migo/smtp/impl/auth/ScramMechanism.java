package io.migo.smtp.impl.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM (RFC 5802), shared by {@link ScramSha256Mechanism} (RFC 7677) and
 * {@link ScramSha1Mechanism}; a subclass only names its hash. Without channel binding: the GS2 header is {@code n,,}
 * (no authorization identity).
 *
 * <pre>
 *   C: AUTH SCRAM-SHA-256 base64(n,,n=user,r=cnonce)                   client-first, on the AUTH line
 *   S: 334 base64(r=cnonce+snonce,s=salt,i=4096)                       server-first
 *   C: base64(c=biws,r=cnonce+snonce,p=ClientProof)                    client-final
 *   S: 334 base64(v=ServerSignature)                                   server-final, checked here
 *   C: (empty)
 *   S: 235
 * </pre>
 *
 * <p>SCRAM authenticates both sides: the server proves it knows the password (or its salted form) by
 * {@code v=}. A server that sends a wrong {@code v=}, none at all (235 straight after the client-final), or
 * {@code e=} fails the authentication here, and the session is closed before any mail is sent: an impostor relay
 * that cannot prove it knows the password must not receive it.
 *
 * <p>The server chooses the salt and the iteration count. Both bounds protect the client: below
 * {@link #MIN_ITERATIONS} a fake server could collect a ClientProof that is cheap to brute-force offline; above
 * {@link #MAX_ITERATIONS} a hostile server would make the client burn CPU (the PBKDF2 runs on a worker thread, see
 * {@link #costly()}, but still takes a core for that long).
 */
abstract class ScramMechanism implements SaslMechanism {

  /** RFC 7677 §4 and RFC 5802 §5.1: the iteration count "SHOULD be at least 4096". */
  static final int MIN_ITERATIONS = 4096;
  /**
   * Cyrus SASL uses 10 000, Dovecot 4096, MongoDB 15 000; 100 000 PBKDF2-HMAC-SHA-256 rounds take a few tens of
   * milliseconds on one core. Beyond that the count is abuse rather than policy.
   */
  static final int MAX_ITERATIONS = 100_000;
  /** 24 random bytes: 192 bits, far beyond RFC 5802's requirement of a nonce that is unique per exchange. */
  private static final int NONCE_BYTES = 24;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] EMPTY = new byte[0];
  private static final String GS2_HEADER = "n,,";
  /** base64("n,,"): the c= attribute of the client-final message when there is no channel binding. */
  private static final String CHANNEL_BINDING = Base64.getEncoder().encodeToString(GS2_HEADER.getBytes(UTF_8));

  private enum State { INITIAL, CLIENT_FIRST_SENT, CLIENT_FINAL_SENT, SERVER_VERIFIED, FAILED }

  private final AuthMechanism mechanism;
  private final String digestName;
  private final String hmacName;
  private final String pbkdf2Name;
  private final Credentials credentials;
  private final String clientNonce;
  private final String clientFirstBare;
  private State state = State.INITIAL;
  private byte[] expectedServerSignature;
  private String serverError;

  /**
   * @param clientNonce the nonce to use (tests with RFC vectors), or null for a fresh random one
   * @throws SmtpException phase AUTH, reason INVALID_INPUT, when SASLprep refuses the user name or the password
   */
  ScramMechanism(AuthMechanism mechanism, String digestName, String hmacName, String pbkdf2Name,
                 Credentials credentials, String clientNonce) {
    this.mechanism = mechanism;
    this.digestName = digestName;
    this.hmacName = hmacName;
    this.pbkdf2Name = pbkdf2Name;
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.clientNonce = clientNonce == null ? randomNonce() : clientNonce;
    if (!ScramServerFirst.isPrintable(this.clientNonce)) {
      throw new IllegalArgumentException("a SCRAM nonce is printable ASCII without ','");
    }
    // Prepared now, so that a credential SASLprep refuses fails before anything is sent.
    String user = SaslPrep.prepare(mechanism, "user name", credentials.username());
    SaslPrep.prepare(mechanism, "password", credentials.secret());
    this.clientFirstBare = "n=" + Gs2.saslName(user) + ",r=" + this.clientNonce;
  }

  private static String randomNonce() {
    byte[] bytes = new byte[NONCE_BYTES];
    RANDOM.nextBytes(bytes);
    // Base64 has no ',' and only printable characters, as the nonce must.
    return Base64.getEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public final AuthMechanism mechanism() {
    return mechanism;
  }

  @Override
  public final byte[] initialResponse() {
    state = State.CLIENT_FIRST_SENT;
    return (GS2_HEADER + clientFirstBare).getBytes(UTF_8);
  }

  /** The answer to the server-first message derives the salted password: PBKDF2 with the server's iteration count. */
  @Override
  public final boolean costly() {
    return state == State.CLIENT_FIRST_SENT;
  }

  @Override
  public final byte[] respond(byte[] challenge) {
    return switch (state) {
      case CLIENT_FIRST_SENT -> clientFinal(new String(challenge, UTF_8));
      case CLIENT_FINAL_SENT -> verifyServerFinal(new String(challenge, UTF_8));
      default -> throw SaslMechanisms.tooManyChallenges(mechanism, state == State.SERVER_VERIFIED ? 3 : 1);
    };
  }

  /** Answers the server-first message with the client proof, and computes the signature the server must send back. */
  private byte[] clientFinal(String serverFirstMessage) {
    state = State.FAILED; // until the step completes
    ScramServerFirst serverFirst = ScramServerFirst.parse(mechanism, serverFirstMessage);
    checkNonce(serverFirst.nonce(), serverFirstMessage);
    checkIterations(serverFirst.iterations());

    String clientFinalWithoutProof = "c=" + CHANNEL_BINDING + ",r=" + serverFirst.nonce();
    byte[] authMessage = (clientFirstBare + "," + serverFirstMessage + "," + clientFinalWithoutProof).getBytes(UTF_8);

    byte[] saltedPassword = saltedPassword(serverFirst.salt(), serverFirst.iterations());
    byte[] clientKey = hmac(saltedPassword, "Client Key".getBytes(UTF_8));
    byte[] storedKey = digest(clientKey);
    byte[] clientSignature = hmac(storedKey, authMessage);
    byte[] clientProof = xor(clientKey, clientSignature);
    byte[] serverKey = hmac(saltedPassword, "Server Key".getBytes(UTF_8));
    expectedServerSignature = hmac(serverKey, authMessage);
    Arrays.fill(saltedPassword, (byte) 0);
    Arrays.fill(clientKey, (byte) 0);

    state = State.CLIENT_FINAL_SENT;
    return (clientFinalWithoutProof + ",p=" + Base64.getEncoder().encodeToString(clientProof)).getBytes(UTF_8);
  }

  /** RFC 5802 §5.1: the server's nonce must start with ours (and add its own part), or the exchange is not ours. */
  private void checkNonce(String combinedNonce, String serverFirstMessage) {
    if (!combinedNonce.startsWith(clientNonce) || combinedNonce.length() == clientNonce.length()) {
      throw new SmtpException(SmtpPhase.AUTH, Reason.PROTOCOL, mechanism.saslName()
          + ": the server's nonce does not extend the client's nonce (RFC 5802 §5.1), so its server-first message "
          + "does not answer this exchange: \"" + ScramServerFirst.printableOnly(shorten(serverFirstMessage)) + "\"");
    }
  }

  private void checkIterations(int iterations) {
    if (iterations < MIN_ITERATIONS) {
      throw new SmtpException(SmtpPhase.AUTH, Reason.SECURITY, mechanism.saslName() + ": the server asked for "
          + iterations + " PBKDF2 iterations, fewer than the " + MIN_ITERATIONS + " RFC 7677 requires; a low count "
          + "makes the client's proof cheap to brute-force, so this client refuses it (raise the iteration count on "
          + "the server, or use another mechanism)");
    }
    if (iterations > MAX_ITERATIONS) {
      throw new SmtpException(SmtpPhase.AUTH, Reason.SECURITY, mechanism.saslName() + ": the server asked for "
          + (iterations == Integer.MAX_VALUE ? "more than a billion" : String.valueOf(iterations))
          + " PBKDF2 iterations, more than this client's limit of " + MAX_ITERATIONS
          + "; such a count only burns the client's CPU, so this client refuses it");
    }
  }

  private byte[] verifyServerFinal(String serverFinalMessage) {
    state = State.FAILED;
    if (serverFinalMessage.startsWith("e=")) {
      serverError = ScramServerFirst.printableOnly(shorten(serverFinalMessage.substring(2)));
      throw new SmtpException(SmtpPhase.AUTH, Reason.AUTHENTICATION_FAILED, mechanism.saslName()
          + ": the server could not prove it knows the password: it answered e=" + serverError
          + " (RFC 5802 §7; usually a wrong password or an unknown user); the mail was not sent");
    }
    String signature = serverFinalMessage.startsWith("v=") ? firstAttributeValue(serverFinalMessage) : null;
    byte[] received = null;
    if (signature != null) {
      try {
        received = Base64.getDecoder().decode(signature);
      } catch (IllegalArgumentException e) {
        received = null;
      }
    }
    if (received == null || !MessageDigest.isEqual(received, expectedServerSignature)) {
      throw serverNotProven(signature == null
          ? "its server-final message has no v= signature"
          : "its signature v= does not match the one computed from the password");
    }
    state = State.SERVER_VERIFIED;
    return EMPTY; // RFC 4954 §4: the server's final data came in a 334; an empty response lets it send 235
  }

  @Override
  public final void succeeded() {
    if (state != State.SERVER_VERIFIED) {
      state = State.FAILED;
      throw serverNotProven("the server accepted the authentication without sending its server-final message "
          + "(v=)");
    }
  }

  private SmtpException serverNotProven(String detail) {
    return new SmtpException(SmtpPhase.AUTH, Reason.SECURITY, mechanism.saslName()
        + ": the server could not prove it knows the password: " + detail + ". It may not be the relay it claims "
        + "to be; the session was closed and the mail was not sent");
  }

  private static String firstAttributeValue(String message) {
    int comma = message.indexOf(',');
    return message.substring(2, comma < 0 ? message.length() : comma);
  }

  private static String shorten(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  @Override
  public final String serverError() {
    return serverError;
  }

  /** Hi(Normalize(password), salt, i) of RFC 5802 §2.2, which is PBKDF2 with the mechanism's HMAC (RFC 2898). */
  private byte[] saltedPassword(byte[] salt, int iterations) {
    char[] password = SaslPrep.prepare(mechanism, "password", credentials.secret()).toCharArray();
    int keyBits = digestLength() * 8;
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, keyBits);
    try {
      // The JDK's PBKDF2 encodes the password chars as UTF-8, as RFC 5802 requires.
      return SecretKeyFactory.getInstance(pbkdf2Name).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(pbkdf2Name + " is not available", e);
    } finally {
      spec.clearPassword();
      Arrays.fill(password, '\0');
    }
  }

  private int digestLength() {
    try {
      return MessageDigest.getInstance(digestName).getDigestLength();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(digestName + " is not available", e);
    }
  }

  private byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(hmacName);
      mac.init(new SecretKeySpec(key, hmacName));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      // Every Java SE runtime provides HmacSHA1 and HmacSHA256; this is a broken JCA setup, not a bad password.
      throw new IllegalStateException(hmacName + " is not available", e);
    }
  }

  private byte[] digest(byte[] data) {
    try {
      return MessageDigest.getInstance(digestName).digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(digestName + " is not available", e);
    }
  }

  private static byte[] xor(byte[] a, byte[] b) {
    byte[] out = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[username=" + credentials.username() + "]";
  }
}
