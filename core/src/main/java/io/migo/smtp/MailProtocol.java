package io.migo.smtp;

/**
 * Which protocol a client speaks to its relay: SMTP (RFC 5321), or LMTP (RFC 2033) to a local delivery agent such as
 * Dovecot's or Cyrus' LMTP server.
 *
 * <p>LMTP is SMTP with two differences that matter to a client: the session opens with {@code LHLO} (there is no
 * HELO fallback), and after the message data the server answers once <em>per accepted recipient</em>, in RCPT order,
 * because it delivers to each mailbox on its own: a message can then be saved for some recipients and refused (over
 * quota, say) for others. Each of those replies is reported in the {@link SendResult}; the outcome follows the same
 * rules as refusals at RCPT ({@link SendOutcome.Status}).
 */
public enum MailProtocol {
  /** SMTP (RFC 5321): EHLO, with the HELO fallback; one reply to the end of the data. */
  SMTP,
  /** LMTP (RFC 2033): LHLO; one reply per accepted recipient after the end of the data. */
  LMTP;

  /** IANA's port for LMTP over TCP (RFC 2033 forbids port 25); used when no port is set. */
  public static final int LMTP_PORT = 24;
}
