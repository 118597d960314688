package io.migo.smtp;

import io.migo.smtp.impl.SmtpClientImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailMessage;

/**
 * An asynchronous SMTP client for one relay. It keeps up to {@link PoolOptions#getMaxSize()} authenticated sessions
 * open and reuses them, so that connecting, TLS and AUTH are paid once per session, not once per message.
 *
 * <p>A returned future succeeds when the server accepted the message for at least one recipient (see
 * {@link SendResult}), and fails with an {@link SmtpException} naming the phase and the server's reply otherwise.
 * Safe to call from any thread.
 */
public interface SmtpClient {

  /** A client with the default {@link PoolOptions}. */
  static SmtpClient create(Vertx vertx, SmtpClientOptions options) {
    return new SmtpClientImpl(vertx, options, new PoolOptions());
  }

  static SmtpClient create(Vertx vertx, SmtpClientOptions options, PoolOptions poolOptions) {
    return new SmtpClientImpl(vertx, options, poolOptions);
  }

  /**
   * Sends a message built with vertx-mail-client's {@link MailMessage}, MIME-encoded by its encoder. The envelope is
   * the bounce address (or From) and every To, Cc and Bcc address.
   */
  Future<SendResult> send(MailMessage message);

  /**
   * Sends a ready RFC 5322 message (headers and body) with the given envelope. Line endings are normalized to CRLF
   * and lines starting with '.' are dot-stuffed on the way out; the buffer itself is not changed.
   */
  Future<SendResult> send(Envelope envelope, Buffer message);

  /** A snapshot of the session pool; safe to call from any thread. */
  PoolStats poolStats();

  /** Ends every session with QUIT and closes the connections; sends not yet started fail with reason CLOSED. */
  Future<Void> close();
}
