package io.migo.smtp.impl.session;

import javax.security.auth.x500.X500Principal;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A server certificate that the trust manager refused, with what a person needs to act on it: the leaf's subject,
 * issuer and names, and the host it was checked against. The trust manager's own exception (PKIX path building,
 * host-name mismatch, expiry...) is the cause, unchanged. {@link TlsFailures} turns it into the user's message.
 */
final class CertificateRejection extends CertificateException {

  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  private final String subject;
  private final String issuer;
  private final List<String> names;
  private final String checkedHost;

  CertificateRejection(X509Certificate leaf, String checkedHost, CertificateException cause) {
    super("server certificate rejected (subject " + subjectOf(leaf) + ", issuer " + issuerOf(leaf) + "): "
      + cause.getMessage(), cause);
    this.subject = subjectOf(leaf);
    this.issuer = issuerOf(leaf);
    this.names = namesOf(leaf);
    this.checkedHost = checkedHost;
  }

  /** The leaf's subject (RFC 2253), or "?" when the server sent no certificate. */
  String subject() {
    return subject;
  }

  String issuer() {
    return issuer;
  }

  /** The DNS names and IP addresses of the leaf's subjectAltName extension, in its order. */
  List<String> names() {
    return names;
  }

  /** The host name the certificate was checked against (the SNI name, else the peer host), or null if unknown. */
  String checkedHost() {
    return checkedHost;
  }

  private static String subjectOf(X509Certificate leaf) {
    return leaf == null ? "?" : leaf.getSubjectX500Principal().getName(X500Principal.RFC2253);
  }

  private static String issuerOf(X509Certificate leaf) {
    return leaf == null ? "?" : leaf.getIssuerX500Principal().getName(X500Principal.RFC2253);
  }

  private static List<String> namesOf(X509Certificate leaf) {
    List<String> names = new ArrayList<>();
    if (leaf == null) {
      return names;
    }
    try {
      Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          Object type = san.get(0);
          if (type instanceof Integer t && (t == SAN_DNS || t == SAN_IP) && san.get(1) instanceof String name) {
            names.add(name);
          }
        }
      }
    } catch (CertificateParsingException e) {
      // A garbled extension: the rejection is still reported, without names.
    }
    return List.copyOf(names);
  }
}
