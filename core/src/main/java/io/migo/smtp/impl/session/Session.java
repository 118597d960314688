package io.migo.smtp.impl.session;

import io.migo.smtp.Envelope;
import io.migo.smtp.RecipientRejection;
import io.migo.smtp.RecipientsRejectedException;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.impl.OutgoingMessage;
import io.migo.smtp.impl.protocol.Capabilities;
import io.vertx.core.Future;

import javax.net.ssl.SSLSession;
import java.util.ArrayList;
import java.util.List;

/**
 * A handshaken, authenticated connection that carries one message at a time — or two, overlapping by one round trip:
 * once a DATA-mode message's content is all written, the next message may be {@linkplain #canTakeNext() sent behind
 * it}, before its verdict, so that its envelope joins the final dot's write (RFC 2920 §3.1). Replies come in order,
 * so the earlier message's verdict is read first and each message keeps its own outcome.
 */
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
  /**
   * The message under way has written all its content and may have the next one behind it (see
   * {@link #canTakeNext()}); cleared when any message starts.
   */
  private boolean nextMayFollow;
  /** Told when {@link #canTakeNext()} becomes true: the pool, which may hand the session to a waiting message. */
  private Runnable nextMayFollowHandler = () -> { };

  Session(SmtpConnection connection, Capabilities capabilities, SessionSettings settings) {
    this.connection = connection;
    this.capabilities = capabilities;
    this.settings = settings;
  }

  /**
   * Sends one message; the session must be {@linkplain #isReusable() idle}, or able to {@linkplain #canTakeNext()
   * take it behind the message under way}. When the server takes fewer recipients
   * per transaction than the message has, the rest follow in further transactions on this session, and the result
   * accounts for every recipient.
   */
  public Future<SendResult> send(OutgoingMessage message) {
    if (!connection.isClosed() && !isReusable() && !canTakeNext()) {
      // A bug in the caller, not in the server: two messages' commands would interleave. (A closed session fails the
      // message with the close's cause, as before.)
      throw new IllegalStateException("a message for a session in state " + connection.state());
    }
    transactions++;
    return transaction(message);
  }

  /**
   * Whether the message under way has written all its content, is waiting only for its verdict, and lets the next
   * message go behind it ({@link TransactionPlan#letsTheNextEnvelopeFollow}); at most one message goes behind another,
   * so that the commands in flight stay bounded by one verdict and one envelope.
   */
  public boolean canTakeNext() {
    return nextMayFollow && connection.state() == SessionState.AWAITING_DELIVERY;
  }

  /** Sets who is told, on the session's context, each time {@link #canTakeNext()} becomes true. */
  public void onNextMayFollow(Runnable handler) {
    this.nextMayFollowHandler = handler;
  }

  private void nextMayFollow() {
    nextMayFollow = true;
    nextMayFollowHandler.run();
  }

  private Future<SendResult> transaction(OutgoingMessage message) {
    nextMayFollow = false;
    MailTransaction transaction = new MailTransaction(connection, capabilities, settings, message, proven,
      this::nextMayFollow);
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

  /** The TLS session, or null without TLS (see {@link SmtpConnection#sslSession()}). */
  SSLSession sslSession() {
    return connection.sslSession();
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
