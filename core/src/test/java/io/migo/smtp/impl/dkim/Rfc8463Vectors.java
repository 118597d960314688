package io.migo.smtp.impl.dkim;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** RFC 8463 Appendix A: the keys and the sample message, signed with both algorithms (A.3), CRLF line ends. */
final class Rfc8463Vectors {

  /** A.1: the Ed25519 secret key, the RFC 8032 §7.1 test 1 seed. */
  static final String ED25519_SEED = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";
  /** A.2: the Ed25519 public key of the brisbane._domainkey record. */
  static final String ED25519_PUBLIC = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
  /** A.1: the RSA secret key, PKCS#1. */
  static final String RSA_PKCS1 = "-----BEGIN RSA PRIVATE KEY-----\n"
    + "MIICXQIBAAKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQi\n"
    + "Y/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqM\n"
    + "KrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB\n"
    + "AoGAH0cxOhFZDgzXWhDhnAJDw5s4roOXN4OhjiXa8W7Y3rhX3FJqmJSPuC8N9vQm\n"
    + "6SVbaLAE4SG5mLMueHlh4KXffEpuLEiNp9Ss3O4YfLiQpbRqE7Tm5SxKjvvQoZZe\n"
    + "zHorimOaChRL2it47iuWxzxSiRMv4c+j70GiWdxXnxe4UoECQQDzJB/0U58W7RZy\n"
    + "6enGVj2kWF732CoWFZWzi1FicudrBFoy63QwcowpoCazKtvZGMNlPWnC7x/6o8Gc\n"
    + "uSe0ga2xAkEA8C7PipPm1/1fTRQvj1o/dDmZp243044ZNyxjg+/OPN0oWCbXIGxy\n"
    + "WvmZbXriOWoSALJTjExEgraHEgnXssuk7QJBALl5ICsYMu6hMxO73gnfNayNgPxd\n"
    + "WFV6Z7ULnKyV7HSVYF0hgYOHjeYe9gaMtiJYoo0zGN+L3AAtNP9huqkWlzECQE1a\n"
    + "licIeVlo1e+qJ6Mgqr0Q7Aa7falZ448ccbSFYEPD6oFxiOl9Y9se9iYHZKKfIcst\n"
    + "o7DUw1/hz2Ck4N5JrgUCQQCyKveNvjzkkd8HjYs0SwM0fPjK16//5qDZ2UiDGnOe\n"
    + "uEzxBDAr518Z8VFbR41in3W4Y3yCDgQlLlcETrS+zYcL\n"
    + "-----END RSA PRIVATE KEY-----\n";
  /** A.2: the RSA public key of the test._domainkey record (SubjectPublicKeyInfo). */
  static final String RSA_PUBLIC = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2"
    + "jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2"
    + "kryOTIKT+l/K4w3QIDAQAB";

  static final String HEADERS = "From: Joe SixPack <joe@football.example.com>\r\n"
    + "To: Suzie Q <suzie@shopping.example.net>\r\n"
    + "Subject: Is dinner ready?\r\n"
    + "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
    + "Message-ID: <20030712040037.46341.5F8J@football.example.com>\r\n";
  static final String BODY = "Hi.\r\n\r\nWe lost the game.  Are you hungry yet?\r\n\r\nJoe.\r\n";
  static final String MESSAGE = HEADERS + "\r\n" + BODY;

  static final String BODY_HASH = "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=";
  /** The ed25519 DKIM-Signature of A.3 up to its empty b=, folded as printed. */
  static final String ED25519_TEMPLATE = "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;\r\n"
    + " d=football.example.com; i=@football.example.com;\r\n"
    + " q=dns/txt; s=brisbane; t=1528637909; h=from : to :\r\n"
    + " subject : date : message-id : from : subject : date;\r\n"
    + " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
    + " b=";
  static final String ED25519_B = "/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11BusFa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==";
  static final String RSA_TEMPLATE = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n"
    + " d=football.example.com; i=@football.example.com;\r\n"
    + " q=dns/txt; s=test; t=1528637909; h=from : to : subject :\r\n"
    + " date : message-id : from : subject : date;\r\n"
    + " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
    + " b=";
  static final String RSA_B = "F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9"
    + "mPYQTnGdaSGsgeefOsk2JzdA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=";

  private Rfc8463Vectors() {
  }

  /** The seed as a JDK key: PKCS#8 is a fixed 16-byte prefix (RFC 8410 §7) and the 32-byte seed. */
  static PrivateKey ed25519Key() throws Exception {
    byte[] seed = Base64.getDecoder().decode(ED25519_SEED);
    byte[] prefix = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
    byte[] der = new byte[prefix.length + seed.length];
    System.arraycopy(prefix, 0, der, 0, prefix.length);
    System.arraycopy(seed, 0, der, prefix.length, seed.length);
    return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
  }
}
