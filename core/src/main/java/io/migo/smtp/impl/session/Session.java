package io.migo.smtp.impl.session;

import io.migo.smtp.Envelope;
import io.migo.smtp.RecipientRejection;
import io.migo.smtp.RecipientsRejectedException;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.impl.OutgoingMessage;
import io.migo.smtp.impl.protocol.Capabilities;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;

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

  /**
   * Sends one message; the session must be {@linkplain #isReusable() idle}. When the server takes fewer recipients
   * per transaction than the message has, the rest follow in further transactions on this session, and the result
   * accounts for every recipient.
   */
  public Future<SendResult> send(OutgoingMessage message) {
    transactions++;
    return transaction(message);
  }

  private Future<SendResult> transaction(OutgoingMessage message) {
    MailTransaction transaction = new MailTransaction(connection, capabilities, settings, message, proven);
    return transaction.run().compose(result -> {
      proven = true;
      List<String> rest = transaction.postponed();
      return rest.isEmpty() ? Future.succeededFuture(result) : followUp(message, result, List.copyOf(rest));
    });
  }

  /**
   * The recipients the server would not take in the first transaction get the same content in another (RFC 5321
   * §4.5.3.1.10). The message has been delivered to some recipients by then, so a failure of the follow-up is not
   * the message's failure: its recipients are reported refused with the failure's reply — unless the server may hold
   * the follow-up, which makes the whole outcome unknown.
   */
  private Future<SendResult> followUp(OutgoingMessage message, SendResult first, List<String> rest) {
    Envelope envelope = new Envelope(message.envelope().sender(), rest).withDsn(message.envelope().dsn());
    return transaction(new OutgoingMessage(envelope, message.content(), message.messageId())).transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(merged(first, ar.result()));
      }
      SmtpException failure = SmtpException.of(ar.cause());
      if (failure.delivery() == SmtpException.Delivery.MAYBE_DELIVERED) {
        return Future.failedFuture(failure);
      }
      return Future.succeededFuture(merged(first, new SendResult(first.messageId(), first.serverResponse(), List.of(),
        refusals(rest, failure))));
    });
  }

  private static List<RecipientRejection> refusals(List<String> recipients, SmtpException failure) {
    if (failure instanceof RecipientsRejectedException rejected) {
      return rejected.rejections();
    }
    List<RecipientRejection> refusals = new ArrayList<>(recipients.size());
    for (String recipient : recipients) {
      refusals.add(new RecipientRejection(recipient, failure.replyCode(), failure.enhancedCode(),
        failure.replyCode() > 0 ? failure.serverMessage() : failure.getMessage()));
    }
    return refusals;
  }

  private static SendResult merged(SendResult first, SendResult next) {
    List<String> accepted = new ArrayList<>(first.acceptedRecipients());
    accepted.addAll(next.acceptedRecipients());
    List<RecipientRejection> rejected = new ArrayList<>(first.rejectedRecipients());
    rejected.addAll(next.rejectedRecipients());
    String response = next.serverResponse().equals(first.serverResponse()) ? first.serverResponse()
      : first.serverResponse() + "; " + next.serverResponse();
    return new SendResult(first.messageId(), response, accepted, rejected);
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
