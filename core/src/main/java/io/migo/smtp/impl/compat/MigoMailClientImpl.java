package io.migo.smtp.impl.compat;

import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.impl.ClientContext;
import io.migo.smtp.impl.MailMessages;
import io.migo.smtp.impl.OutgoingMessage;
import io.migo.smtp.impl.SmtpClientImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.MailResult;

import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * vertx-mail-client's {@link MailClient} on a migo client: each MailMessage is MIME-encoded by vertx-mail-client's
 * encoder with the MailConfig's encoder settings, sent by migo as a raw message with its envelope, and its
 * {@link SendResult} becomes a {@link MailResult} (the Message-ID, and the recipients the server accepted).
 */
public final class MigoMailClientImpl implements MailClient {

  private final Vertx vertx;
  private final SharedClients.Handle handle;
  private final AtomicBoolean closed = new AtomicBoolean();

  MigoMailClientImpl(Vertx vertx, SharedClients.Handle handle) {
    this.vertx = vertx;
    this.handle = handle;
  }

  @Override
  public Future<MailResult> sendMail(MailMessage email) {
    Objects.requireNonNull(email, "email");
    if (closed.get()) {
      return Future.failedFuture(new SmtpException(SmtpPhase.CONNECT, Reason.CLOSED, "the mail client is closed"));
    }
    return encoded(email)
      .compose(this::send)
      .recover(failure -> Future.failedFuture(MailFailures.forMailClient(failure)));
  }

  /**
   * Encoded where migo's own client would: a large message (attachments) sent from an event loop on a worker, so
   * that it stalls no session; otherwise on the caller's thread. Nothing has gone out yet, so a failure here is the
   * message's fault.
   */
  private Future<OutgoingMessage> encoded(MailMessage email) {
    if (ClientContext.isOnAnEventLoop() && MailMessages.estimatedSize(email) > SmtpClientImpl.ENCODE_INLINE_LIMIT) {
      return vertx.executeBlocking(() -> encode(email), false);
    }
    try {
      return Future.succeededFuture(encode(email));
    } catch (SmtpException e) {
      return Future.failedFuture(e);
    }
  }

  private OutgoingMessage encode(MailMessage email) {
    MappedConfig mapped = handle.mapped();
    try {
      return MailMessages.toOutgoing(email, mapped.messageHostname(), mapped.encoderConfig());
    } catch (SmtpException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT, "the message cannot be encoded: " + e, e);
    }
  }

  private Future<MailResult> send(OutgoingMessage outgoing) {
    return handle.client().send(outgoing.envelope(), outgoing.content())
      .map(result -> toMailResult(outgoing, result));
  }

  /** As vertx-mail-client fills it: the generated Message-ID, and the recipients accepted at RCPT, in order. */
  private static MailResult toMailResult(OutgoingMessage outgoing, SendResult result) {
    return new MailResult()
      .setMessageID(outgoing.messageId())
      .setRecipients(new ArrayList<>(result.acceptedRecipients()));
  }

  /**
   * Closes this client: sends accepted before it still complete; the migo client behind it closes with its last
   * user (see {@code createShared}). A second close fails, as vertx-mail-client's does ("Already closed"); here as a
   * failed future rather than a thrown exception.
   */
  @Override
  public Future<Void> close() {
    if (!closed.compareAndSet(false, true)) {
      return Future.failedFuture(new IllegalStateException("Already closed"));
    }
    return handle.release(vertx);
  }
}
