package io.migo.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DkimOptionsTest {

  private static KeyPair keys(String algorithm) throws Exception {
    return KeyPairGenerator.getInstance(algorithm).generateKeyPair();
  }

  private static DkimOptions complete(KeyPair keys) {
    return new DkimOptions().setDomain("example.test").setSelector("s1").setPrivateKey(keys.getPrivate());
  }

  @Test
  void checksSyntaxWhenSet() {
    DkimOptions o = new DkimOptions();
    assertThatThrownBy(() -> o.setDomain("example")).hasMessageContaining("domain name");
    assertThatThrownBy(() -> o.setDomain("exa mple.test")).hasMessageContaining("domain name");
    assertThatThrownBy(() -> o.setDomain("a.test\r\nX: y")).hasMessageContaining("domain name")
      .hasMessageNotContaining("\r");
    assertThatThrownBy(() -> o.setSelector("s;1")).hasMessageContaining("selector");
    assertThatThrownBy(() -> o.setIdentity("alice")).hasMessageContaining("identity");
    assertThatThrownBy(() -> o.setIdentity("a;b@example.test")).hasMessageContaining("identity");
    assertThatThrownBy(() -> o.setSignedHeaders(List.of("From", "Bad:Name"))).hasMessageContaining("header name");
    assertThatThrownBy(() -> o.setExpiration(Duration.ZERO)).hasMessageContaining("at least one second");
    o.setSelector("2026-12._mail").setDomain("mail.example.test").setIdentity("@sub.mail.example.test");
  }

  @Test
  void validateNamesWhatIsMissingOrInconsistent() throws Exception {
    assertThatThrownBy(() -> new DkimOptions().setDomain("example.test").validate())
      .hasMessageContaining("missing: selector private key");
    assertThatThrownBy(() -> complete(keys("Ed25519")).setAlgorithm(DkimAlgorithm.RSA_SHA256).validate())
      .hasMessageContaining("rsa-sha256 needs an RSA key");
    assertThatThrownBy(() -> complete(keys("RSA")).setAlgorithm(DkimAlgorithm.ED25519_SHA256).validate())
      .hasMessageContaining("ed25519-sha256 needs an Ed25519 key");
    assertThatThrownBy(() -> complete(keys("RSA")).setSignedHeaders(List.of("Subject")).validate())
      .hasMessageContaining("must include From");
    assertThatThrownBy(() -> complete(keys("RSA")).setIdentity("a@other.test").validate())
      .hasMessageContaining("must be example.test or one of its subdomains");
    assertThatThrownBy(() -> complete(keys("RSA")).setExpiration(Duration.ofHours(1)).setTimestamp(false).validate())
      .hasMessageContaining("timestamp");
    assertThatThrownBy(() -> complete(keys("EC"))).hasMessageContaining("RSA or Ed25519, not EC");
    complete(keys("RSA")).setIdentity("a@mail.example.test").validate();
  }

  @Test
  void theAlgorithmFollowsTheKeyUnlessSet() throws Exception {
    assertThat(complete(keys("RSA")).getAlgorithm()).isEqualTo(DkimAlgorithm.RSA_SHA256);
    assertThat(complete(keys("Ed25519")).getAlgorithm()).isEqualTo(DkimAlgorithm.ED25519_SHA256);
    assertThat(DkimAlgorithm.ofTag("ED25519-sha256")).isEqualTo(DkimAlgorithm.ED25519_SHA256);
    assertThatThrownBy(() -> DkimAlgorithm.ofTag("rsa-sha1")).hasMessageContaining("rsa-sha256 or ed25519-sha256");
  }

  @Test
  void readsAKeyFileAndNeverShowsTheKey(@TempDir Path dir) throws Exception {
    KeyPair keys = keys("RSA");
    String body = Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded());
    Path file = Files.writeString(dir.resolve("dkim.pem"),
      "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
    DkimOptions o = complete(keys("Ed25519")).setPrivateKeyPath(file);
    assertThat(o.getPrivateKey().getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
    assertThat(o.toString()).isEqualTo("DkimOptions[d=example.test, s=s1, a=rsa-sha256, c=relaxed/relaxed]")
      .doesNotContain(body.substring(0, 20));
    assertThatThrownBy(() -> o.setPrivateKeyPath(dir.resolve("missing.pem")))
      .hasMessageContaining("cannot read the DKIM key file");
  }

  @Test
  void aCopyIsIndependent() throws Exception {
    DkimOptions original = complete(keys("RSA"));
    DkimOptions copy = new DkimOptions(original);
    original.setSelector("other").setSignedHeaders(List.of("From"));
    assertThat(copy.getSelector()).isEqualTo("s1");
    assertThat(copy.getSignedHeaders()).isEqualTo(DkimOptions.DEFAULT_SIGNED_HEADERS);
  }
}
