package io.migo.smtp.impl.dkim;

import io.migo.smtp.DkimAlgorithm;
import io.migo.smtp.DkimCanonicalization;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The {@code b=} value (RFC 6376 §3.7): the signed header fields, chosen from the bottom up for names listed more than
 * once (§5.4.2), each canonicalized, then the DKIM-Signature field itself with an empty {@code b=} and without its
 * final CRLF, signed. RSA signs those bytes with SHA-256 (PKCS#1 v1.5); Ed25519 signs their SHA-256 digest (RFC 8463
 * §3: "signs the hash with the PureEdDSA variant Ed25519"), as the RFC 8463 vectors confirm.
 */
public final class HeaderSignature {

  private final DkimAlgorithm algorithm;
  /**
   * One signature engine per thread, initialized once: a JCA {@link Signature} is not thread-safe, and
   * {@code initSign} is not free — for Ed25519 it derives the public key (a scalar multiplication, as costly as the
   * signature itself). After {@code sign()} an engine is ready for the next message with the same key.
   */
  private final ThreadLocal<Signature> engines;

  /** @param provider the JCA provider that signs, or {@code null} for the JDK's default */
  public HeaderSignature(DkimAlgorithm algorithm, PrivateKey key, Provider provider) {
    this.algorithm = algorithm;
    this.engines = ThreadLocal.withInitial(() -> engine(algorithm, key, provider));
  }

  /**
   * One-off signing, as with the RFC's examples.
   *
   * @see #sign(DkimCanonicalization, List, List, String)
   */
  public static String sign(DkimAlgorithm algorithm, PrivateKey key, DkimCanonicalization canonicalization,
                            List<HeaderField> fields, List<String> names, String template) {
    return new HeaderSignature(algorithm, key, null).sign(canonicalization, fields, names, template);
  }

  /**
   * @param names    the {@code h=} names in order; a name with no instance left (over-signing) adds nothing
   * @param template the whole DKIM-Signature field as it will be sent, ending with {@code "b="} (no CRLF)
   * @return the signature, base64 without folding
   */
  public String sign(DkimCanonicalization canonicalization, List<HeaderField> fields, List<String> names,
                     String template) {
    byte[] data = signedData(canonicalization, fields, names, template);
    Signature signature = engines.get();
    try {
      if (algorithm == DkimAlgorithm.ED25519_SHA256) {
        signature.update(MessageDigest.getInstance("SHA-256").digest(data));
      } else {
        signature.update(data);
      }
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      engines.remove(); // its state is unknown now
      // The key was checked against the algorithm when the options were set: this is not the message's fault.
      throw new IllegalStateException("DKIM signing failed (" + algorithm.tag() + "): " + e.getMessage(), e);
    }
  }

  private static Signature engine(DkimAlgorithm algorithm, PrivateKey key, Provider provider) {
    String name = algorithm == DkimAlgorithm.ED25519_SHA256 ? "Ed25519" : "SHA256withRSA";
    try {
      Signature signature = provider == null ? Signature.getInstance(name) : Signature.getInstance(name, provider);
      signature.initSign(key);
      return signature;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("DKIM signing cannot start (" + algorithm.tag() + "): " + e.getMessage(), e);
    }
  }

  static byte[] signedData(DkimCanonicalization canonicalization, List<HeaderField> fields, List<String> names,
                           String template) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    List<HeaderField> unused = new ArrayList<>(fields);
    for (String name : names) {
      HeaderField field = takeLast(unused, name);
      if (field != null) {
        HeaderCanonicalizer.write(canonicalization, field.bytes(), out);
      }
    }
    byte[] own = (template + "\r\n").getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream signatureField = new ByteArrayOutputStream(own.length);
    HeaderCanonicalizer.write(canonicalization, own, signatureField);
    // Without the CRLF that ends it (§3.7).
    out.write(signatureField.toByteArray(), 0, signatureField.size() - 2);
    return out.toByteArray();
  }

  private static HeaderField takeLast(List<HeaderField> fields, String name) {
    for (int i = fields.size() - 1; i >= 0; i--) {
      if (fields.get(i).hasName(name)) {
        return fields.remove(i);
      }
    }
    return null;
  }
}
