package io.migo.smtp.impl.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 2195 CRAM-MD5: the server's challenge is answered with
 * {@code user SP lowercase-hex(HMAC-MD5(key = password, text = challenge))}; the password never crosses the wire.
 * One challenge only: a second one is a protocol error.
 */
public final class CramMd5Mechanism implements SaslMechanism {

  private static final String HMAC_MD5 = "HmacMD5";

  private final Credentials credentials;
  private int challenges;

  public CramMd5Mechanism(Credentials credentials) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
  }

  @Override
  public AuthMechanism mechanism() {
    return AuthMechanism.CRAM_MD5;
  }

  @Override
  public byte[] initialResponse() {
    return null; // the server speaks first: the challenge is the text we sign
  }

  @Override
  public byte[] respond(byte[] challenge) {
    if (++challenges > 1) {
      throw SaslMechanisms.tooManyChallenges(AuthMechanism.CRAM_MD5, challenges);
    }
    String digest = HexFormat.of().formatHex(hmacMd5(credentials.secret().getBytes(UTF_8), challenge));
    return (credentials.username() + ' ' + digest).getBytes(UTF_8);
  }

  private static byte[] hmacMd5(byte[] key, byte[] text) {
    // HMAC pads short keys with zeros (RFC 2104), so an empty key equals one zero byte; SecretKeySpec refuses empty keys.
    byte[] usableKey = key.length == 0 ? new byte[1] : key;
    try {
      Mac mac = Mac.getInstance(HMAC_MD5);
      mac.init(new SecretKeySpec(usableKey, HMAC_MD5));
      return mac.doFinal(text);
    } catch (GeneralSecurityException e) {
      // Every Java SE runtime must provide HmacMD5; reaching this means a broken JCA setup, not a bad password.
      throw new IllegalStateException("HmacMD5 is not available", e);
    }
  }

  @Override
  public String toString() {
    return "CramMd5Mechanism[username=" + credentials.username() + "]";
  }
}
