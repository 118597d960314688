package io.migo.smtp.impl.session;

import io.migo.smtp.RelayAddress;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * What a failed TLS handshake means, in one place. Vert.x reports the three common mistakes (a certificate nobody
 * told the client to trust, a certificate for another host name, a port that does not speak TLS at all) with the
 * same "Failed to create SSL connection"; the difference is further down the cause chain. This class walks the
 * chain and says which it was and what to do. The original exception stays the cause.
 */
public final class TlsFailures {

  private TlsFailures() {
  }

  /** What went wrong, from the cause chain. */
  enum Kind {
    UNTRUSTED_CERTIFICATE, HOST_NAME_MISMATCH, NOT_TLS, CLIENT_CERTIFICATE, OTHER
  }

  /**
   * The typed failure (reason {@link Reason#TLS}) for a TLS handshake that failed with {@code t}.
   *
   * @param relay the relay being connected to, or null when unknown (the message then names no port)
   */
  public static SmtpException describe(SmtpPhase phase, Throwable t, RelayAddress relay) {
    if (t instanceof SmtpException se) {
      return se;
    }
    List<Throwable> chain = chain(t);
    CertificateRejection rejection = find(chain, CertificateRejection.class);
    String message = switch (kind(chain)) {
      case HOST_NAME_MISMATCH -> hostNameMismatch(rejection, relay);
      case UNTRUSTED_CERTIFICATE -> untrusted(rejection, chain);
      case NOT_TLS -> notTls(relay);
      case CLIENT_CERTIFICATE -> clientCertificate(chain);
      case OTHER -> "TLS failed" + (relay == null ? "" : " with " + relay) + ": " + detail(chain);
    };
    return new SmtpException(phase, Reason.TLS, message, t);
  }

  static Kind kind(List<Throwable> chain) {
    for (Throwable c : chain) {
      if (isHostNameMismatch(c.getMessage())) {
        return Kind.HOST_NAME_MISMATCH;
      }
      if (isClientCertificateAlert(c.getMessage())) {
        return Kind.CLIENT_CERTIFICATE;
      }
    }
    if (find(chain, CertificateRejection.class) != null
      || find(chain, java.security.cert.CertPathValidatorException.class) != null
      || find(chain, java.security.cert.CertPathBuilderException.class) != null) {
      return Kind.UNTRUSTED_CERTIFICATE;
    }
    for (Throwable c : chain) {
      String m = c.getMessage();
      if (c.getClass().getName().equals("io.netty.handler.ssl.NotSslRecordException")
        || contains(m, "not an SSL/TLS record") || contains(m, "Unsupported or unrecognized SSL message")) {
        return Kind.NOT_TLS;
      }
    }
    // The server hung up before it sent any handshake message of its own: a plain server that read our hello as a
    // bad command and closed, or one that only speaks after a greeting we never read.
    for (Throwable c : chain) {
      String m = c.getMessage();
      if (c instanceof ClosedChannelException || contains(m, "Remote host terminated the handshake")
        || contains(m, "closed while SSL/TLS handshake") || contains(m, "Connection closed while")) {
        return Kind.NOT_TLS;
      }
    }
    return Kind.OTHER;
  }

  /** The JDK's HostnameChecker: "No subject alternative DNS name matching x found", "No name matching x found". */
  private static boolean isHostNameMismatch(String message) {
    return contains(message, "No subject alternative") || contains(message, "No name matching");
  }

  /**
   * An alert the server sent about the client's certificate: TLS 1.3's {@code certificate_required} (none was sent),
   * or {@code bad_certificate}, {@code unknown_ca}, {@code certificate_unknown} about the one sent. "Received" marks
   * the server's alerts in the JDK's engine; the client's own about the server's certificate read differently. The
   * OpenSSL engine (BoringSSL) names a received alert by its reason code, e.g. {@code SSLV3_ALERT_BAD_CERTIFICATE},
   * while its own verdict on the server's certificate is {@code CERTIFICATE_VERIFY_FAILED}.
   */
  private static boolean isClientCertificateAlert(String message) {
    return contains(message, "Received fatal alert: certificate_required")
      || contains(message, "Received fatal alert: bad_certificate")
      || contains(message, "Received fatal alert: unknown_ca")
      || contains(message, "Received fatal alert: certificate_unknown")
      || contains(message, "ALERT_CERTIFICATE_REQUIRED")
      || contains(message, "SSLV3_ALERT_BAD_CERTIFICATE")
      || contains(message, "TLSV1_ALERT_UNKNOWN_CA")
      || contains(message, "SSLV3_ALERT_CERTIFICATE_UNKNOWN");
  }

  private static String clientCertificate(List<Throwable> chain) {
    return "the relay requires a TLS client certificate, or did not accept the one presented (" + detail(chain)
      + "): set SmtpClientOptions.setKeyCertOptions with a certificate the relay trusts (CLI: --client-cert FILE "
      + "--client-key FILE, or --client-keystore FILE.p12)";
  }

  private static String hostNameMismatch(CertificateRejection rejection, RelayAddress relay) {
    String host = rejection != null && rejection.checkedHost() != null ? rejection.checkedHost()
      : relay != null ? relay.host() : null;
    StringBuilder sb = new StringBuilder("the server's certificate does not name host ")
      .append(host == null ? "(unknown)" : host);
    if (rejection != null) {
      sb.append(rejection.names().isEmpty() ? " (it names no host" : " (it names " + String.join(", ", rejection.names()))
        .append("; subject ").append(rejection.subject()).append(", issuer ").append(rejection.issuer()).append(')');
    }
    return sb.append(": connect by a name the certificate has, or, for testing only, turn the check off with ")
      .append("SmtpClientOptions.setVerifyHostname(false)").toString();
  }

  private static String untrusted(CertificateRejection rejection, List<Throwable> chain) {
    StringBuilder sb = new StringBuilder("the server's certificate is not trusted");
    if (rejection != null) {
      sb.append(" (subject ").append(rejection.subject()).append(", issuer ").append(rejection.issuer()).append(')');
    }
    return sb.append(": ").append(detail(chain))
      .append("; trust the CA that issued it with SmtpClientOptions.setTrustOptions (CLI: --ca-cert)").toString();
  }

  private static String notTls(RelayAddress relay) {
    String what = relay == null ? "the server" : "port " + relay.port() + " of " + relay.host();
    return what + " does not seem to speak TLS (no TLS handshake came back): if it offers STARTTLS, use "
      + "TlsMode.STARTTLS_REQUIRED (CLI: --tls starttls), usually on port 587";
  }

  /** The deepest message in the chain: the actual reason, below the wrappers' "Failed to create SSL connection". */
  private static String detail(List<Throwable> chain) {
    for (int i = chain.size() - 1; i >= 0; i--) {
      Throwable c = chain.get(i);
      if (c.getMessage() != null && !c.getMessage().isBlank() && !(c instanceof CertificateRejection)) {
        return c.getMessage();
      }
    }
    return chain.get(0).getClass().getSimpleName();
  }

  static List<Throwable> chain(Throwable t) {
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
      chain.add(c);
    }
    return chain;
  }

  private static <T extends Throwable> T find(List<Throwable> chain, Class<T> type) {
    for (Throwable c : chain) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  private static boolean contains(String message, String part) {
    return message != null && message.contains(part);
  }
}
