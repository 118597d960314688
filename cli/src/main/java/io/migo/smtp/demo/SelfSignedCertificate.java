package io.migo.smtp.demo;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * A throw-away self-signed certificate for one host name (plus 127.0.0.1), made in memory with BouncyCastle: an EC
 * P-256 key (fast to generate), valid from an hour ago for a day, usable only for TLS server authentication. Clients
 * trust this very certificate as their only anchor, so no CA is involved; they still verify the host name against
 * its subject alternative names.
 */
final class SelfSignedCertificate {

  static final char[] KEY_STORE_PASSWORD = "embedded".toCharArray();

  private final KeyPair keyPair;
  private final X509Certificate certificate;

  private SelfSignedCertificate(KeyPair keyPair, X509Certificate certificate) {
    this.keyPair = keyPair;
    this.certificate = certificate;
  }

  static SelfSignedCertificate generate(String hostName) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair keyPair = generator.generateKeyPair();
      X500Name subject = new X500Name("CN=" + hostName + ",O=migo-smtp embedded demo server");
      Instant now = Instant.now();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
        new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
        subject, keyPair.getPublic())
        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.dNSName, hostName),
          new GeneralName(GeneralName.iPAddress, "127.0.0.1")}))
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      X509Certificate certificate = new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
      return new SelfSignedCertificate(keyPair, certificate);
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot generate a certificate for " + hostName, e);
    }
  }

  X509Certificate certificate() {
    return certificate;
  }

  String certificatePem() {
    try {
      Base64.Encoder encoder = Base64.getMimeEncoder(64, new byte[] {'\n'});
      return "-----BEGIN CERTIFICATE-----\n" + encoder.encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A PKCS#12 key store in memory holding the key and the certificate, protected by {@link #KEY_STORE_PASSWORD}. */
  KeyStore keyStore() throws GeneralSecurityException {
    try {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      keyStore.setKeyEntry("server", keyPair.getPrivate(), KEY_STORE_PASSWORD,
        new java.security.cert.Certificate[] {certificate});
      return keyStore;
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
  }
}
