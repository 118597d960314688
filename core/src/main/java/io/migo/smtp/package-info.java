/**
 * An asynchronous SMTP client for Vert.x 5: the public API.
 *
 * <p>Start with {@link io.migo.smtp.SmtpClient#create(io.vertx.core.Vertx, io.migo.smtp.SmtpClientOptions)}: the
 * client keeps a pool of authenticated sessions to one relay ({@link io.migo.smtp.PoolOptions}) and sends
 * vertx-mail-client {@link io.vertx.ext.mail.MailMessage}s, ready RFC 5322 bytes with an
 * {@link io.migo.smtp.Envelope}, or {@link io.migo.smtp.Mail}s; {@code sendAll} streams many with backpressure.
 *
 * <ul>
 *   <li>{@link io.migo.smtp.SmtpClientOptions}: the relay, the {@link io.migo.smtp.TlsMode} (STARTTLS required by
 *   default), trust, credentials and {@link io.migo.smtp.AuthMechanism}s, per-phase timeouts, failover relays and the
 *   {@link io.migo.smtp.RetryPolicy}. Options are copied when a client is created, never mutated.</li>
 *   <li>{@link io.migo.smtp.SendResult}: what the server accepted, and which recipients it refused.</li>
 *   <li>{@link io.migo.smtp.SmtpException}: why a send failed, with the {@link io.migo.smtp.SmtpPhase}, the reply
 *   code, the RFC 3463 enhanced code, the server's text and a {@link io.migo.smtp.SmtpException.Reason} to switch
 *   on.</li>
 *   <li>{@link io.migo.smtp.SendOutcome}: the outcome of one mail of a bulk send (delivered, partially delivered,
 *   rejected, failed and safe to retry, or unknown).</li>
 * </ul>
 *
 * <p>Everything outside this package and {@code io.migo.mutiny.smtp} (the packages under {@code io.migo.smtp.impl})
 * is internal and may change in any release.
 */
package io.migo.smtp;
