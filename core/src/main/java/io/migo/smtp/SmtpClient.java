package io.migo.smtp;

import io.migo.smtp.impl.SmtpClientImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
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
   * and lines starting with '.' are dot-stuffed on the way out; the buffer itself is not changed. Content already in
   * that form is read straight from the buffer as it is written to the socket, not copied first: do not change the
   * buffer until the returned future completes (sending the same buffer many times is fine).
   */
  Future<SendResult> send(Envelope envelope, Buffer message);

  /**
   * Sends one {@link Mail}: its MailMessage as {@link #send(MailMessage)} does, else as raw content, with the
   * delivery status notifications it asks for ({@link Mail#withDsn}).
   */
  Future<SendResult> send(Mail mail);

  /** {@link #sendAll(ReadStream, BulkOptions)} with the default {@link BulkOptions}. */
  default ReadStream<SendOutcome> sendAll(ReadStream<Mail> mails) {
    return sendAll(mails, new BulkOptions());
  }

  /**
   * Sends every mail of a stream, at most {@link BulkOptions#getConcurrency()} at a time, and returns the stream of
   * their outcomes, one per mail, failures included: a refused or failed mail never ends the stream. Mails are read
   * only as places free up (a send completes and its outcome is taken), so an endless source is fine and memory
   * stays flat. When the source ends and every outcome has been emitted, the returned stream ends; when the source
   * fails, the mails in flight complete first, then the failure goes to the exception handler and the stream ends.
   */
  ReadStream<SendOutcome> sendAll(ReadStream<Mail> mails, BulkOptions options);

  /** Counts of sends and their outcomes since the client was created, and the recent rate; from any thread. */
  SendProgress progress();

  /** A snapshot of the session pool; safe to call from any thread. */
  PoolStats poolStats();

  /**
   * Closes the client gracefully: every send accepted before this call is carried out (one waiting for a session
   * still gets one, a retry still runs), then every session ends with QUIT and the connections close; the future
   * completes then. A send made after this call fails at once with reason {@link SmtpException.Reason#CLOSED}.
   * The client does not own the {@code Vertx} it was created with: close that too when the program is done.
   */
  Future<Void> close();
}
