package io.migo.smtp.impl.session;

import io.migo.smtp.Envelope;
import io.migo.smtp.RecipientRejection;
import io.migo.smtp.RecipientsRejectedException;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.impl.OutgoingMessage;
import io.migo.smtp.impl.protocol.Addresses;
import io.migo.smtp.impl.protocol.Capabilities;
import io.migo.smtp.impl.protocol.Commands;
import io.migo.smtp.impl.protocol.Reply;
import io.migo.smtp.impl.protocol.SmtpCommand;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;

/**
 * One message over a ready session: MAIL, RCPT for each recipient, DATA, the content, and the final reply.
 *
 * <p>With PIPELINING (RFC 2920) the RSET that clears a previous failure, MAIL, every RCPT and DATA go in one write,
 * so a warm session pays one round trip before the content; without it, each command waits for its reply.
 * A refused recipient does not stop the message (unless the client is set to fail on it): the others get it, and
 * the refusal is reported in the {@link SendResult}.
 */
public final class MailTransaction {

  private final SmtpConnection connection;
  private final Capabilities capabilities;
  private final SessionSettings settings;
  private final OutgoingMessage message;
  private final List<SmtpCommand> recipientCommands = new ArrayList<>();
  private SmtpCommand mailCommand;

  MailTransaction(SmtpConnection connection, Capabilities capabilities, SessionSettings settings,
                  OutgoingMessage message) {
    this.connection = connection;
    this.capabilities = capabilities;
    this.settings = settings;
    this.message = message;
  }

  /** The replies to the envelope commands, in the order the commands were sent. */
  private record EnvelopeReplies(Reply mail, List<Reply> recipients, Reply data) {
  }

  Future<SendResult> run() {
    try {
      buildEnvelopeCommands();
    } catch (SmtpException e) {
      return Future.failedFuture(e);
    }
    boolean resetFirst = connection.state() == SessionState.RESET_PENDING;
    connection.transition(SessionState.TRANSACTION);
    Future<EnvelopeReplies> envelope = settings.pipelining && capabilities.pipelining()
      ? sendEnvelopePipelined(resetFirst)
      : sendEnvelopeLockStep(resetFirst);
    return envelope
      .compose(this::checkEnvelope)
      .compose(this::sendContent)
      .onFailure(this::settleAfterFailure);
  }

  // ------------------------------------------------------------------ envelope

  /**
   * Checks what can be checked without the server: called before a session is even leased, so that bad input
   * sends nothing at all.
   */
  public static void validateEnvelope(Envelope envelope) {
    if (envelope.recipients().isEmpty()) {
      throw new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT, "the message has no recipients");
    }
    if (!envelope.sender().isEmpty()) {
      Addresses.validateMailbox("sender", envelope.sender(), false);
    }
    for (String recipient : envelope.recipients()) {
      Addresses.validateMailbox("recipient", recipient, true);
    }
  }

  /** The checks that depend on what this server offers (SIZE, SMTPUTF8), then the commands themselves. */
  private void buildEnvelopeCommands() {
    Envelope envelope = message.envelope();
    validateEnvelope(envelope);
    boolean needsUtf8 = !Addresses.isAscii(envelope.sender());
    for (String recipient : envelope.recipients()) {
      needsUtf8 |= !Addresses.isAscii(recipient);
    }
    List<String> params = new ArrayList<>(2);
    if (capabilities.maxSize().isPresent()) {
      long limit = capabilities.maxSize().getAsLong();
      long size = message.content().length();
      if (limit > 0 && size > limit) {
        throw new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT,
          "the message is " + size + " bytes, more than the server's SIZE limit of " + limit);
      }
      params.add("SIZE=" + size);
    }
    if (needsUtf8) {
      if (!capabilities.smtpUtf8()) {
        throw new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT,
          "an address is not ASCII and the server does not offer SMTPUTF8");
      }
      params.add("SMTPUTF8");
    }
    mailCommand = Commands.mail(envelope.sender(), params.toArray(String[]::new));
    for (String recipient : envelope.recipients()) {
      recipientCommands.add(Commands.rcpt(recipient));
    }
  }

  /**
   * One write: [RSET] MAIL RCPT… [DATA]. RFC 2920 allows DATA last in a group. When the client must fail on any
   * refused recipient, DATA waits for the RCPT replies instead: a 354 cannot be taken back without delivering.
   */
  private Future<EnvelopeReplies> sendEnvelopePipelined(boolean resetFirst) {
    List<SmtpCommand> batch = new ArrayList<>(recipientCommands.size() + 3);
    if (resetFirst) {
      batch.add(Commands.rset());
    }
    batch.add(mailCommand);
    batch.addAll(recipientCommands);
    boolean dataInBatch = !settings.failOnRejectedRecipients;
    if (dataInBatch) {
      batch.add(Commands.data());
    }
    List<Future<Reply>> replies = connection.pipeline(batch, settings.commandTimeoutMs);
    return Future.join(replies).transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(ar.cause());
      }
      int i = 0;
      if (resetFirst) {
        Reply rset = replies.get(i++).result();
        if (!rset.isPositiveCompletion()) {
          return Future.failedFuture(rset.toException(SmtpPhase.RSET, Reason.REPLY, "RSET refused"));
        }
      }
      Reply mail = replies.get(i++).result();
      List<Reply> rcpts = new ArrayList<>(recipientCommands.size());
      for (int r = 0; r < recipientCommands.size(); r++) {
        rcpts.add(replies.get(i++).result());
      }
      Reply data = dataInBatch ? replies.get(i).result() : null;
      return Future.succeededFuture(new EnvelopeReplies(mail, rcpts, data));
    });
  }

  /** Without PIPELINING each command waits for its reply; a refused MAIL stops before any RCPT. */
  private Future<EnvelopeReplies> sendEnvelopeLockStep(boolean resetFirst) {
    Future<Void> reset = resetFirst
      ? send(Commands.rset()).compose(r -> r.isPositiveCompletion() ? Future.<Void>succeededFuture()
        : Future.failedFuture(r.toException(SmtpPhase.RSET, Reason.REPLY, "RSET refused")))
      : Future.succeededFuture();
    return reset.compose(v -> send(mailCommand)).compose(mail -> {
      if (!mail.isPositiveCompletion()) {
        return Future.succeededFuture(new EnvelopeReplies(mail, List.of(), null));
      }
      List<Reply> rcpts = new ArrayList<>(recipientCommands.size());
      Future<Void> chain = Future.succeededFuture();
      for (SmtpCommand rcpt : recipientCommands) {
        chain = chain.compose(v -> send(rcpt)).map(reply -> {
          rcpts.add(reply);
          return null;
        });
      }
      return chain.map(v -> new EnvelopeReplies(mail, rcpts, null));
    });
  }

  /** Decides from the envelope replies whether the content goes out, and to whom. */
  private Future<List<RecipientRejection>> checkEnvelope(EnvelopeReplies replies) {
    if (!replies.mail().isPositiveCompletion()) {
      return Future.failedFuture(replies.mail().toException(SmtpPhase.MAIL, Reason.REPLY, "sender refused"));
    }
    List<String> recipients = message.envelope().recipients();
    List<RecipientRejection> rejected = new ArrayList<>();
    for (int i = 0; i < replies.recipients().size(); i++) {
      Reply reply = replies.recipients().get(i);
      if (!reply.isPositiveCompletion()) {
        rejected.add(new RecipientRejection(recipients.get(i), reply.code(),
          reply.enhancedCode() == null ? null : reply.enhancedCode().toString(), reply.message()));
      }
    }
    if (rejected.size() == recipients.size()) {
      return refuseAfterData(replies, new RecipientsRejectedException("every recipient was refused", rejected));
    }
    if (!rejected.isEmpty() && settings.failOnRejectedRecipients) {
      return Future.failedFuture(new RecipientsRejectedException(
        rejected.size() + " of " + recipients.size() + " recipients refused", rejected));
    }
    Future<Reply> data = replies.data() != null ? Future.succeededFuture(replies.data()) : send(Commands.data());
    return data.compose(reply -> reply.code() == 354
      ? Future.succeededFuture(rejected)
      : Future.failedFuture(reply.toException(SmtpPhase.DATA, Reason.REPLY, "DATA refused")));
  }

  /**
   * Every recipient refused: a conforming server refuses the pipelined DATA too (RFC 2920 §3.1). If it said 354
   * anyway, the only way out that delivers nothing is to drop the connection before the final dot.
   */
  private Future<List<RecipientRejection>> refuseAfterData(EnvelopeReplies replies, SmtpException refusal) {
    if (replies.data() != null && replies.data().code() == 354) {
      connection.close();
    }
    return Future.failedFuture(refusal);
  }

  // ------------------------------------------------------------------ content

  private Future<SendResult> sendContent(List<RecipientRejection> rejected) {
    connection.transition(SessionState.SENDING_DATA);
    Future<Reply> verdict = connection.expectReply(SmtpPhase.DATA_END, settings.dataTimeoutMs);
    new MessageWriter(connection, settings.commandTimeoutMs).write(message.content())
      .onSuccess(v -> {
        // The server may have answered early (and ended the transaction) while the last bytes were queued.
        if (connection.state() == SessionState.SENDING_DATA) {
          connection.transition(SessionState.AWAITING_DELIVERY);
        }
      });
    return verdict.compose(reply -> {
      if (connection.state() != SessionState.AWAITING_DELIVERY) {
        // A reply before the end of our data: whatever we still write would be read as commands.
        connection.close();
        return Future.failedFuture(reply.toException(SmtpPhase.MESSAGE, Reason.PROTOCOL,
          "the server replied before the end of the message data"));
      }
      connection.transition(SessionState.READY);
      if (!reply.isPositiveCompletion()) {
        return Future.failedFuture(reply.toException(SmtpPhase.DATA_END, Reason.REPLY, "message refused"));
      }
      List<String> accepted = new ArrayList<>(message.envelope().recipients());
      rejected.forEach(r -> accepted.remove(r.address()));
      return Future.succeededFuture(new SendResult(message.messageId(), String.join(" ", reply.lines()), accepted,
        rejected));
    });
  }

  // ------------------------------------------------------------------ helpers

  private Future<Reply> send(SmtpCommand command) {
    return connection.send(command, settings.commandTimeoutMs);
  }

  /**
   * A transaction that failed before its content leaves the server with, at most, an open transaction: the session
   * stays usable and the next message starts with RSET. Once content was being written, only the final reply can
   * bring the session back; without it the connection is closed.
   */
  private void settleAfterFailure(Throwable failure) {
    SessionState state = connection.state();
    if (failure instanceof SmtpException e && e.replyCode() == 421) {
      // 421: the server is closing the channel (RFC 5321 §3.8); nothing more can go over it.
      connection.close();
    } else if (state == SessionState.TRANSACTION) {
      connection.transition(SessionState.RESET_PENDING);
    } else if (state == SessionState.SENDING_DATA || state == SessionState.AWAITING_DELIVERY) {
      connection.close();
    }
  }
}
