package io.migo.smtp.impl.dkim;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an unencrypted private key from PEM text with the JDK's own {@link KeyFactory}: PKCS#8
 * ({@code BEGIN PRIVATE KEY}, RSA or Ed25519) and PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, what {@code openssl genrsa}
 * and most DKIM guides produce). The JDK reads only PKCS#8, so a PKCS#1 key is wrapped in the PKCS#8 structure first
 * (RFC 5208 §5: version 0, the rsaEncryption algorithm, the PKCS#1 bytes as an octet string): a few bytes of DER,
 * cheaper than a cryptography library in core.
 *
 * <p>Errors never quote the key's text.
 */
public final class PemKeys {

  private static final Pattern BLOCK =
    Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
  /** AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }. */
  private static final byte[] RSA_ALGORITHM = {
    0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
  private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

  private PemKeys() {
  }

  /** The private key in {@code pem}; {@link IllegalArgumentException} saying what is wrong and how to fix it. */
  public static PrivateKey read(String pem) {
    Matcher m = BLOCK.matcher(pem);
    if (!m.find()) {
      throw new IllegalArgumentException("the DKIM key is not PEM: expected -----BEGIN PRIVATE KEY----- (PKCS#8) or "
        + "-----BEGIN RSA PRIVATE KEY----- (PKCS#1)");
    }
    String type = m.group(1);
    String body = m.group(2);
    switch (type) {
      case "PRIVATE KEY":
        return pkcs8(decode(body, type));
      case "RSA PRIVATE KEY":
        if (body.contains("ENCRYPTED")) {
          throw encrypted();
        }
        return rsa(wrapPkcs1(decode(body, type)));
      case "ENCRYPTED PRIVATE KEY":
        throw encrypted();
      default:
        throw new IllegalArgumentException("the DKIM key is a '" + type + "' PEM block; DKIM takes an RSA or Ed25519 "
          + "key in PKCS#8 (BEGIN PRIVATE KEY) or, for RSA, PKCS#1 (BEGIN RSA PRIVATE KEY); convert it with "
          + "'openssl pkcs8 -topk8 -nocrypt -in KEY'");
    }
  }

  private static IllegalArgumentException encrypted() {
    return new IllegalArgumentException("the DKIM key is encrypted; give it unencrypted (e.g. 'openssl pkcs8 -topk8 "
      + "-nocrypt -in KEY -out KEY.plain') and protect the file instead, or pass a PrivateKey you have decrypted");
  }

  private static byte[] decode(String body, String type) {
    try {
      return Base64.getMimeDecoder().decode(body.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the DKIM key's " + type + " block is not valid base64");
    }
  }

  private static PrivateKey pkcs8(byte[] der) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : new String[] {"RSA", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // not this key type; try the next
      }
    }
    throw new IllegalArgumentException("the DKIM key (PKCS#8) is neither an RSA nor an Ed25519 private key");
  }

  private static PrivateKey rsa(byte[] pkcs8) {
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the DKIM key (PKCS#1) is not a valid RSA private key");
    }
  }

  /** PrivateKeyInfo ::= SEQUENCE { version 0, rsaEncryption, OCTET STRING pkcs1 } (RFC 5208). */
  static byte[] wrapPkcs1(byte[] pkcs1) {
    ByteArrayOutputStream inner = new ByteArrayOutputStream(pkcs1.length + 32);
    inner.writeBytes(VERSION_0);
    inner.writeBytes(RSA_ALGORITHM);
    inner.write(0x04);
    writeLength(inner, pkcs1.length);
    inner.writeBytes(pkcs1);
    ByteArrayOutputStream outer = new ByteArrayOutputStream(inner.size() + 8);
    outer.write(0x30);
    writeLength(outer, inner.size());
    outer.writeBytes(inner.toByteArray());
    return outer.toByteArray();
  }

  /** DER definite length: short form below 128, else 0x80 | number of octets, then the octets big-endian. */
  private static void writeLength(ByteArrayOutputStream out, int length) {
    if (length < 0x80) {
      out.write(length);
      return;
    }
    int octets = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
    out.write(0x80 | octets);
    for (int i = octets - 1; i >= 0; i--) {
      out.write(length >>> (8 * i));
    }
  }
}
