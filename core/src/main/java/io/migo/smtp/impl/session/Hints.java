package io.migo.smtp.impl.session;

import io.migo.smtp.TlsMode;
import io.migo.smtp.impl.protocol.Capabilities;
import io.migo.smtp.impl.protocol.EnhancedStatusCode;
import io.migo.smtp.impl.protocol.Reply;

import java.util.Locale;

/**
 * Advice for a session that runs without TLS although the server offers STARTTLS: a submission server that wants
 * TLS first hides AUTH until then (Postfix {@code smtpd_tls_auth_only}) or refuses MAIL with {@code 530 5.7.0 Must
 * issue a STARTTLS command first}, and "the server does not offer AUTH" alone sends the user looking in the wrong
 * place. One wording for every place that meets it.
 */
public final class Hints {

  static final String USE_STARTTLS = "use TlsMode.STARTTLS_REQUIRED (CLI: --tls starttls)";

  private Hints() {
  }

  /** The server's AUTH is hidden until TLS: the whole message for the AUTH failure. */
  static String authOnlyOverTls(TlsMode mode) {
    return startTlsUnused(mode) + "; it offers AUTH only over TLS: " + USE_STARTTLS;
  }

  /** Without TLS the server offers AUTH, but none of the mechanisms the caller allows. */
  static String mechanismsOnlyOverTls(TlsMode mode, String offered, String allowed) {
    return startTlsUnused(mode) + "; without TLS it offers AUTH " + offered + " only, and allowed are " + allowed
      + ": " + USE_STARTTLS + " (servers often offer more mechanisms over TLS)";
  }

  /**
   * The advice for a refused command on a session without TLS whose server offered STARTTLS, when the refusal says
   * TLS must come first: 530 (RFC 3207 §4), or an enhanced code 5.7.0 whose text names STARTTLS. Null otherwise.
   *
   * @param refused the server's reply to the command (e.g. MAIL)
   * @param encrypted whether the session is protected by TLS
   * @param caps what the server advertised on this session (the EHLO reply in clear)
   * @param mode the session's TLS mode
   * @return e.g. "the server offers STARTTLS but TLS is off (TlsMode.NONE / --tls none); it accepts this command only
   *     over TLS: use TlsMode.STARTTLS_REQUIRED (CLI: --tls starttls)", or null when the refusal is about something
   *     else or TLS would not help
   */
  public static String startTlsFirst(Reply refused, boolean encrypted, Capabilities caps, TlsMode mode) {
    if (encrypted || !caps.startTls() || !demandsTls(refused)) {
      return null;
    }
    return startTlsUnused(mode) + "; it accepts this command only over TLS: " + USE_STARTTLS;
  }

  /**
   * The advice for a session the relay ends right after the TLS handshake (its greeting over implicit TLS, or its
   * reply to EHLO after STARTTLS) because of the client's certificate, as Postfix does with
   * {@code smtpd_tls_req_ccert} ({@code 421 4.7.1 ... Error: No client certificate presented}). Null when the reply
   * says nothing of a client certificate.
   *
   * @param hasClientCertificate whether the client presented one (then it was refused, not missing)
   */
  static String clientCertificate(Reply refused, boolean hasClientCertificate) {
    if (!refused.message().toLowerCase(Locale.ROOT).contains("certificate")) {
      return null;
    }
    return hasClientCertificate
      ? "the relay did not accept the client certificate (is it signed by a CA the relay trusts, and for client "
        + "authentication?)"
      : "the relay requires a TLS client certificate and none is set: set SmtpClientOptions.setKeyCertOptions "
        + "(PemKeyCertOptions or PfxOptions; CLI: --client-cert FILE --client-key FILE, or --client-keystore FILE.p12 "
        + "--client-keystore-password P)";
  }

  private static boolean demandsTls(Reply reply) {
    if (reply.code() == 530) {
      return true;
    }
    EnhancedStatusCode enhanced = reply.enhancedCode();
    return reply.isPermanentNegative() && enhanced != null && enhanced.toString().equals("5.7.0")
      && reply.message().toUpperCase(Locale.ROOT).contains("STARTTLS");
  }

  private static String startTlsUnused(TlsMode mode) {
    return mode == TlsMode.NONE
      ? "the server offers STARTTLS but TLS is off (TlsMode.NONE / --tls none)"
      : "the server offers STARTTLS but this session is not encrypted (TlsMode." + mode + ")";
  }
}
