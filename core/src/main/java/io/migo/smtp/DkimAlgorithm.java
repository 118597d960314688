package io.migo.smtp;

/** The DKIM signing algorithms (the {@code a=} tag): RFC 6376 §3.3 and RFC 8463. */
public enum DkimAlgorithm {
  /** RSA PKCS#1 v1.5 over SHA-256 (RFC 6376 §3.3.1); keys of 2048 bits or more are what receivers expect today. */
  RSA_SHA256("rsa-sha256", "RSA"),
  /** Ed25519 over the SHA-256 hash of the signed headers (RFC 8463); short keys and signatures, cheap to sign. */
  ED25519_SHA256("ed25519-sha256", "Ed25519");

  private final String tag;
  private final String keyAlgorithm;

  DkimAlgorithm(String tag, String keyAlgorithm) {
    this.tag = tag;
    this.keyAlgorithm = keyAlgorithm;
  }

  /** The value of the {@code a=} tag, e.g. {@code rsa-sha256}. */
  public String tag() {
    return tag;
  }

  /** The JCA name of the key type it needs ({@code RSA} or {@code Ed25519}). */
  public String keyAlgorithm() {
    return keyAlgorithm;
  }

  /** The algorithm whose {@code a=} tag is {@code tag} (case-insensitive), for configuration and the CLI. */
  public static DkimAlgorithm ofTag(String tag) {
    for (DkimAlgorithm a : values()) {
      if (a.tag.equalsIgnoreCase(tag)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown DKIM algorithm '" + tag + "': rsa-sha256 or ed25519-sha256");
  }
}
