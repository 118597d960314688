package io.migo.smtp;

/**
 * The step of an SMTP session in which something went wrong. Every {@link SmtpException} names one, so that a
 * caller (and a log reader) can tell "the server refused our login" from "the server refused the recipient".
 */
public enum SmtpPhase {
  /** Opening the TCP connection (and, for implicit TLS, its handshake). */
  CONNECT,
  /** Waiting for, or reading, the server's 220 greeting. */
  GREETING,
  /** EHLO, before or after STARTTLS; with LMTP, its LHLO. */
  EHLO,
  /** HELO, the fallback when EHLO is not understood. */
  HELO,
  /** The STARTTLS command and its reply. */
  STARTTLS,
  /** The TLS handshake after STARTTLS. */
  TLS_HANDSHAKE,
  /** SASL authentication, including every continuation. */
  AUTH,
  /** MAIL FROM. */
  MAIL,
  /** RCPT TO. */
  RCPT,
  /** The DATA command (waiting for 354). */
  DATA,
  /** Streaming the message content. */
  MESSAGE,
  /** The reply to the end of the data (the final "." or the last BDAT chunk): the point of delivery. */
  DATA_END,
  /** BDAT chunks (RFC 3030). */
  BDAT,
  /** RSET. */
  RSET,
  /** QUIT. */
  QUIT,
  /** Before anything reached the network: the caller's input was refused. */
  INPUT
}
