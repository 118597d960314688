package io.migo.smtp.impl.dkim;

import static io.migo.smtp.impl.dkim.Rfc8463Vectors.*;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.migo.smtp.DkimAlgorithm;
import io.migo.smtp.DkimCanonicalization;
import java.security.KeyFactory;
import java.security.Security;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 8463 Appendix A.3, exactly: both algorithms are deterministic, so the published b= values must come out byte for
 * byte from the published keys, message and (unsigned) DKIM-Signature fields.
 */
class Rfc8463VectorsTest {

  /** h=from : to : subject : date : message-id : from : subject : date — the last three over-signed, absent. */
  private static final List<String> NAMES =
    List.of("from", "to", "subject", "date", "message-id", "from", "subject", "date");

  private static List<HeaderField> fields() {
    byte[] block = HEADERS.getBytes(US_ASCII);
    return HeaderField.parse(block, block.length);
  }

  @Test
  void relaxedBodyHashIsThePublishedOne() {
    BodyHasher hasher = BodyHasher.of(DkimCanonicalization.RELAXED);
    byte[] body = BODY.getBytes(US_ASCII);
    hasher.update(body, 0, body.length);
    assertThat(Base64.getEncoder().encodeToString(hasher.finish())).isEqualTo(BODY_HASH);
  }

  @Test
  void ed25519SignatureIsThePublishedOne() throws Exception {
    String b = HeaderSignature.sign(DkimAlgorithm.ED25519_SHA256, ed25519Key(), DkimCanonicalization.RELAXED,
      fields(), NAMES, ED25519_TEMPLATE);
    assertThat(b).isEqualTo(ED25519_B);
  }

  @Test
  void rsaSignatureIsThePublishedOneFromThePkcs1Key() {
    String b = HeaderSignature.sign(DkimAlgorithm.RSA_SHA256, PemKeys.read(RSA_PKCS1), DkimCanonicalization.RELAXED,
      fields(), NAMES, RSA_TEMPLATE);
    assertThat(b).isEqualTo(RSA_B);
  }

  /** A provider chosen in the options ({@code DkimOptions#setProvider}) signs the same, here the JDK's by name. */
  @Test
  void aChosenProviderSignsAlike() throws Exception {
    assertThat(new HeaderSignature(DkimAlgorithm.ED25519_SHA256, ed25519Key(), Security.getProvider("SunEC"))
      .sign(DkimCanonicalization.RELAXED, fields(), NAMES, ED25519_TEMPLATE)).isEqualTo(ED25519_B);
    assertThat(new HeaderSignature(DkimAlgorithm.RSA_SHA256, PemKeys.read(RSA_PKCS1),
      Security.getProvider("SunRsaSign")).sign(DkimCanonicalization.RELAXED, fields(), NAMES, RSA_TEMPLATE))
      .isEqualTo(RSA_B);
  }

  /** The key read from PKCS#1 is the one whose public half A.2 publishes. */
  @Test
  void rsaSignatureVerifiesWithThePublishedPublicKey() throws Exception {
    byte[] data = HeaderSignature.signedData(DkimCanonicalization.RELAXED, fields(), NAMES, RSA_TEMPLATE);
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(KeyFactory.getInstance("RSA")
      .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(RSA_PUBLIC))));
    verifier.update(data);
    assertThat(verifier.verify(Base64.getDecoder().decode(RSA_B))).isTrue();
  }

  /** What is signed, in full: RFC 6376 §3.7 order, relaxed, the signature field last without its CRLF. */
  @Test
  void signedDataIsTheCanonicalHeadersThenTheSignatureField() {
    byte[] data = HeaderSignature.signedData(DkimCanonicalization.RELAXED, fields(), NAMES, ED25519_TEMPLATE);
    assertThat(new String(data, US_ASCII)).isEqualTo(
      "from:Joe SixPack <joe@football.example.com>\r\n"
        + "to:Suzie Q <suzie@shopping.example.net>\r\n"
        + "subject:Is dinner ready?\r\n"
        + "date:Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
        + "message-id:<20030712040037.46341.5F8J@football.example.com>\r\n"
        + "dkim-signature:v=1; a=ed25519-sha256; c=relaxed/relaxed; d=football.example.com; "
        + "i=@football.example.com; q=dns/txt; s=brisbane; t=1528637909; h=from : to : subject : date : "
        + "message-id : from : subject : date; bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=; b=");
  }
}
