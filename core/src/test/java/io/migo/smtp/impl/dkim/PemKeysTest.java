package io.migo.smtp.impl.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PemKeysTest {

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
      + "\n-----END " + type + "-----\n";
  }

  /** The PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo: the content of its OCTET STRING. */
  static byte[] pkcs1Of(PrivateKey key) {
    byte[] der = key.getEncoded();
    int i = headerLength(der, 0);           // outer SEQUENCE
    i += 3;                                  // version INTEGER 0
    i += 2 + (der[i + 1] & 0xff);            // AlgorithmIdentifier SEQUENCE (short form)
    int content = i + headerLength(der, i);  // OCTET STRING
    return Arrays.copyOfRange(der, content, der.length);
  }

  private static int headerLength(byte[] der, int at) {
    int first = der[at + 1] & 0xff;
    return first < 0x80 ? 2 : 2 + (first & 0x7f);
  }

  @Test
  void readsRsaPkcs8() throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    PrivateKey read = PemKeys.read(pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    assertThat(read.getAlgorithm()).isEqualTo("RSA");
    assertThat(read.getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
  }

  @Test
  void readsRsaPkcs1ByWrappingItInPkcs8() throws Exception {
    for (int bits : new int[] {1024, 2048, 4096}) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      KeyPair keys = generator.generateKeyPair();
      PrivateKey read = PemKeys.read("some text before\n" + pem("RSA PRIVATE KEY", pkcs1Of(keys.getPrivate())));
      assertThat(read.getEncoded()).as("%d bits", bits).isEqualTo(keys.getPrivate().getEncoded());
      assertThat(PemKeys.wrapPkcs1(pkcs1Of(keys.getPrivate()))).isEqualTo(keys.getPrivate().getEncoded());
    }
  }

  @Test
  void readsEd25519Pkcs8() throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    PrivateKey read = PemKeys.read(pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    assertThat(read.getAlgorithm()).isIn("Ed25519", "EdDSA");
    assertThat(read.getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
  }

  @Test
  void refusesWhatItCannotUseWithoutQuotingTheKey() throws Exception {
    byte[] ec = KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate().getEncoded();
    String ecPem = pem("PRIVATE KEY", ec);
    assertThatThrownBy(() -> PemKeys.read(ecPem)).hasMessageContaining("neither an RSA nor an Ed25519")
      .hasMessageNotContaining(ecPem.substring(30, 60));
    assertThatThrownBy(() -> PemKeys.read(pem("ENCRYPTED PRIVATE KEY", ec))).hasMessageContaining("encrypted");
    assertThatThrownBy(() -> PemKeys.read("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
      + "DEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----")).hasMessageContaining("encrypted");
    assertThatThrownBy(() -> PemKeys.read(pem("EC PRIVATE KEY", ec))).hasMessageContaining("'EC PRIVATE KEY'");
    assertThatThrownBy(() -> PemKeys.read("not a key")).hasMessageContaining("not PEM");
    assertThatThrownBy(() -> PemKeys.read(pem("RSA PRIVATE KEY", new byte[] {1, 2, 3})))
      .hasMessageContaining("not a valid RSA private key");
  }
}
