package io.migo.smtp.impl.auth;

/**
 * The GS2 header pieces (RFC 5801 §4) that SCRAM (RFC 5802) and OAUTHBEARER (RFC 7628) share: a {@code saslname}
 * is the identity with {@code ,} and {@code =} escaped, because both separate or introduce fields.
 */
final class Gs2 {

  private Gs2() {
  }

  /** RFC 5802 §5.1 / RFC 5801 §4: {@code =} becomes {@code =3D} and {@code ,} becomes {@code =2C}; order matters. */
  static String saslName(String identity) {
    return identity.replace("=", "=3D").replace(",", "=2C");
  }
}
