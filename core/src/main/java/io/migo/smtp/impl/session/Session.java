package io.migo.smtp.impl.session;

import io.migo.smtp.SendResult;
import io.migo.smtp.impl.OutgoingMessage;
import io.migo.smtp.impl.protocol.Capabilities;
import io.vertx.core.Future;

/** A handshaken, authenticated connection that carries one message at a time. */
public final class Session {

  private final SmtpConnection connection;
  private final Capabilities capabilities;
  private final SessionSettings settings;
  private int transactions;
  /**
   * Whether a message has gone through on this session. Until then the server's state is untested: one that
   * refuses every MAIL (it wants STARTTLS or AUTH first, it is over quota) would read content sent behind the
   * envelope as commands. So the first message waits for the envelope's replies before any content; one extra
   * round trip per session, not per message.
   */
  private boolean proven;

  Session(SmtpConnection connection, Capabilities capabilities, SessionSettings settings) {
    this.connection = connection;
    this.capabilities = capabilities;
    this.settings = settings;
  }

  /** Sends one message; the session must be {@linkplain #isReusable() idle}. */
  public Future<SendResult> send(OutgoingMessage message) {
    transactions++;
    return new MailTransaction(connection, capabilities, settings, message, proven).run()
      .onSuccess(result -> proven = true);
  }

  /** Idle and connected: it can take another message. */
  public boolean isReusable() {
    return connection.state().isIdle();
  }

  public boolean isClosed() {
    return connection.isClosed();
  }

  /** How many messages this session has been given (delivered or not). */
  public int transactions() {
    return transactions;
  }

  /** QUIT when idle, otherwise just close. */
  public Future<Void> quit() {
    return connection.quit();
  }

  public Future<Void> closeFuture() {
    return connection.closeFuture();
  }
}
