package io.migo.smtp.impl.session;

import io.migo.smtp.DsnOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.RecipientRejection;
import io.migo.smtp.RecipientsRejectedException;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.impl.FailurePolicy;
import io.migo.smtp.impl.OutgoingMessage;
import io.migo.smtp.impl.protocol.Addresses;
import io.migo.smtp.impl.protocol.Capabilities;
import io.migo.smtp.impl.protocol.Commands;
import io.migo.smtp.impl.protocol.ContentScan;
import io.migo.smtp.impl.protocol.DsnParameters;
import io.migo.smtp.impl.protocol.Reply;
import io.migo.smtp.impl.protocol.SmtpCommand;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;

/**
 * One message over a ready session: the envelope (MAIL, one RCPT per recipient), the content, the final reply.
 *
 * <p>How many round trips that costs depends on what the server offers:
 * <ul>
 *   <li>PIPELINING and CHUNKING: {@code [RSET] MAIL RCPT… BDAT n LAST <content>} in one write, one round trip
 *   (except for a session's first message, whose content waits for the envelope's replies);</li>
 *   <li>PIPELINING only: {@code [RSET] MAIL RCPT… DATA} in one write, then the content: two round trips;</li>
 *   <li>neither: each command waits for its reply.</li>
 * </ul>
 * The RSET that clears a previous failed transaction travels in the same write instead of costing its own round
 * trip. A refused recipient does not stop the message (unless the client is set to fail on it): the others get it,
 * and the refusal is reported in the {@link SendResult}.
 */
public final class MailTransaction {

  private final SmtpConnection connection;
  private final Capabilities capabilities;
  private final SessionSettings settings;
  private final OutgoingMessage message;
  /** Content may ride in the envelope's write: the session has had a message accepted (see {@link Session}). */
  private final boolean contentMayFollowEnvelope;
  private final List<SmtpCommand> recipientCommands = new ArrayList<>();
  private SmtpCommand mailCommand;

  MailTransaction(SmtpConnection connection, Capabilities capabilities, SessionSettings settings,
                  OutgoingMessage message, boolean contentMayFollowEnvelope) {
    this.connection = connection;
    this.capabilities = capabilities;
    this.settings = settings;
    this.message = message;
    this.contentMayFollowEnvelope = contentMayFollowEnvelope;
  }

  /** The replies to the envelope commands; {@code data} only when DATA was pipelined with them. */
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
    boolean pipelined = settings.pipelining && capabilities.pipelining();
    boolean chunked = settings.chunking && capabilities.chunking();
    Future<SendResult> result;
    if (pipelined && chunked && !settings.failOnRejectedRecipients && contentMayFollowEnvelope) {
      result = sendAllInOneWrite(resetFirst);
    } else if (chunked) {
      result = sendEnvelope(pipelined, resetFirst, false)
        .compose(this::checkRecipients)
        .compose(rejected -> new ChunkWriter(connection, message.content(), settings, pipelined).write(null)
          .compose(verdict -> deliveryResult(verdict, rejected)));
    } else {
      // When the client must fail on any refused recipient, DATA waits for the RCPT replies: a 354 cannot be taken
      // back without delivering.
      boolean dataInBatch = pipelined && !settings.failOnRejectedRecipients;
      result = sendEnvelope(pipelined, resetFirst, dataInBatch)
        .compose(replies -> checkRecipients(replies).compose(rejected -> openData(replies, rejected))
          .onFailure(refusal -> abandonOpenData(replies)))
        .compose(this::sendDataContent);
    }
    return result.onFailure(this::settleAfterFailure);
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
    DsnParameters.validate(envelope.dsn());
  }

  /**
   * The checks that need the content or what this server offers (line lengths, SIZE, 8BITMIME, SMTPUTF8), then the
   * commands. DSN parameters go only to a server that offers DSN (RFC 3461 §4).
   */
  private void buildEnvelopeCommands() {
    Envelope envelope = message.envelope();
    validateEnvelope(envelope);
    boolean eightBit = ContentScan.scan(message.content());
    boolean needsUtf8 = !Addresses.isAscii(envelope.sender());
    for (String recipient : envelope.recipients()) {
      needsUtf8 |= !Addresses.isAscii(recipient);
    }
    List<String> params = new ArrayList<>(5);
    if (capabilities.maxSize().isPresent()) {
      long limit = capabilities.maxSize().getAsLong();
      long size = message.content().length();
      if (limit > 0 && size > limit) {
        throw new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT,
          "the message is " + size + " bytes, more than the server's SIZE limit of " + limit);
      }
      params.add("SIZE=" + size);
    }
    if (eightBit) {
      // RFC 6152 §3: 8-bit content goes only to a server that offers 8BITMIME, declared. Converting it to 7bit here
      // would change the bytes a DKIM signature covers, so the caller is told instead.
      if (!capabilities.eightBitMime()) {
        throw new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT,
          "the message has 8-bit octets and the server does not offer 8BITMIME; send it encoded as 7bit "
            + "(quoted-printable or base64)");
      }
      params.add("BODY=8BITMIME");
    }
    if (needsUtf8) {
      if (!capabilities.smtpUtf8()) {
        throw new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT,
          "an address is not ASCII and the server does not offer SMTPUTF8");
      }
      params.add("SMTPUTF8");
    }
    DsnOptions dsn = capabilities.dsn() ? envelope.dsn() : DsnOptions.none();
    if (!dsn.isEmpty()) {
      params.addAll(DsnParameters.mail(dsn));
    }
    mailCommand = Commands.mail(envelope.sender(), params.toArray(String[]::new));
    for (String recipient : envelope.recipients()) {
      recipientCommands.add(dsn.isEmpty()
        ? Commands.rcpt(recipient)
        : Commands.rcpt(recipient, DsnParameters.rcpt(dsn, recipient).toArray(String[]::new)));
    }
  }

  private Future<EnvelopeReplies> sendEnvelope(boolean pipelined, boolean resetFirst, boolean dataInBatch) {
    return pipelined ? sendEnvelopePipelined(resetFirst, dataInBatch) : sendEnvelopeLockStep(resetFirst);
  }

  /** One write: [RSET] MAIL RCPT… [DATA]. RFC 2920 allows DATA as the last command of a group. */
  private Future<EnvelopeReplies> sendEnvelopePipelined(boolean resetFirst, boolean dataInBatch) {
    Batch batch = new Batch(connection);
    Future<Reply> rset = resetFirst ? batch.add(Commands.rset(), settings.commandTimeoutMs) : null;
    Future<Reply> mail = batch.add(mailCommand, settings.commandTimeoutMs);
    List<Future<Reply>> rcpts = addRecipients(batch);
    Future<Reply> data = dataInBatch ? batch.add(Commands.data(), settings.commandTimeoutMs) : null;
    batch.flush(settings.commandTimeoutMs);
    return collectEnvelope(rset, mail, rcpts, data);
  }

  /**
   * One write for the whole message: [RSET] MAIL RCPT… BDAT n LAST and the content (RFC 2920 and RFC 3030 allow
   * BDAT in a pipelined group). Every reply is read before the outcome is decided.
   */
  private Future<SendResult> sendAllInOneWrite(boolean resetFirst) {
    Batch batch = new Batch(connection);
    Future<Reply> rset = resetFirst ? batch.add(Commands.rset(), settings.commandTimeoutMs) : null;
    Future<Reply> mail = batch.add(mailCommand, settings.commandTimeoutMs);
    List<Future<Reply>> rcpts = addRecipients(batch);
    Future<Reply> verdict = new ChunkWriter(connection, message.content(), settings, true).write(batch);
    return collectEnvelope(rset, mail, rcpts, null)
      .compose(replies -> verdict.transform(ignored -> checkRecipients(replies)))
      .compose(rejected -> verdict.compose(reply -> deliveryResult(reply, rejected)));
  }

  private List<Future<Reply>> addRecipients(Batch batch) {
    List<Future<Reply>> rcpts = new ArrayList<>(recipientCommands.size());
    for (SmtpCommand rcpt : recipientCommands) {
      rcpts.add(batch.add(rcpt, settings.commandTimeoutMs));
    }
    return rcpts;
  }

  /** Waits for every reply of a pipelined group, so that none is left in flight whatever the outcome. */
  private Future<EnvelopeReplies> collectEnvelope(Future<Reply> rset, Future<Reply> mail, List<Future<Reply>> rcpts,
                                                  Future<Reply> data) {
    List<Future<Reply>> all = new ArrayList<>(rcpts.size() + 3);
    if (rset != null) {
      all.add(rset);
    }
    all.add(mail);
    all.addAll(rcpts);
    if (data != null) {
      all.add(data);
    }
    return Future.join(all).transform(ar -> {
      if (mail.succeeded() && !mail.result().isPositiveCompletion()) {
        // A refused MAIL explains what follows (503s, or a close after 421) better than anything after it.
        return Future.failedFuture(senderRefused(mail.result()));
      }
      if (ar.failed()) {
        return Future.failedFuture(ar.cause());
      }
      if (rset != null && !rset.result().isPositiveCompletion()) {
        connection.close(); // a server that refuses RSET is in no state we can reason about
        return Future.failedFuture(rset.result().toException(SmtpPhase.RSET, Reason.REPLY, "RSET refused"));
      }
      List<Reply> rcptReplies = new ArrayList<>(rcpts.size());
      rcpts.forEach(r -> rcptReplies.add(r.result()));
      return Future.succeededFuture(new EnvelopeReplies(mail.result(), rcptReplies, data == null ? null : data.result()));
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

  /** Decides from the envelope replies whether the content goes out, and which recipients were refused. */
  private Future<List<RecipientRejection>> checkRecipients(EnvelopeReplies replies) {
    if (!replies.mail().isPositiveCompletion()) {
      return Future.failedFuture(senderRefused(replies.mail()));
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
      return Future.failedFuture(new RecipientsRejectedException("every recipient was refused", rejected));
    }
    if (!rejected.isEmpty() && settings.failOnRejectedRecipients) {
      return Future.failedFuture(new RecipientsRejectedException(
        rejected.size() + " of " + recipients.size() + " recipients refused", rejected));
    }
    return Future.succeededFuture(rejected);
  }

  /**
   * A pipelined DATA was answered 354 but the message must not go (every recipient refused, which a conforming
   * server answers with a refused DATA, RFC 2920 §3.1): the server now reads content until a dot, and the only way
   * out that delivers nothing is to drop the connection.
   */
  private void abandonOpenData(EnvelopeReplies replies) {
    if (replies.data() != null && replies.data().code() == 354) {
      connection.close();
    }
  }

  private Future<List<RecipientRejection>> openData(EnvelopeReplies replies, List<RecipientRejection> rejected) {
    Future<Reply> data = replies.data() != null ? Future.succeededFuture(replies.data()) : send(Commands.data());
    return data.compose(reply -> reply.code() == 354
      ? Future.succeededFuture(rejected)
      : Future.failedFuture(reply.toException(SmtpPhase.DATA, Reason.REPLY, "DATA refused")));
  }

  // ------------------------------------------------------------------ content

  private Future<SendResult> sendDataContent(List<RecipientRejection> rejected) {
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
      return deliveryResult(reply, rejected);
    });
  }

  /** The reply to the end of the content decides: the server has the message, or it refused it. */
  private Future<SendResult> deliveryResult(Reply reply, List<RecipientRejection> rejected) {
    if (!reply.isPositiveCompletion()) {
      return Future.failedFuture(reply.toException(SmtpPhase.DATA_END, Reason.REPLY, "message refused"));
    }
    connection.transition(SessionState.READY);
    List<String> accepted = new ArrayList<>(message.envelope().recipients());
    rejected.forEach(r -> accepted.remove(r.address()));
    return Future.succeededFuture(new SendResult(message.messageId(), String.join(" ", reply.lines()), accepted,
      rejected));
  }

  // ------------------------------------------------------------------ helpers

  /** A refused MAIL, with advice when the server refused it only because the session is not encrypted. */
  private SmtpException senderRefused(Reply reply) {
    String hint = Hints.startTlsFirst(reply, connection.isEncrypted(), capabilities, settings.tlsMode);
    return reply.toException(SmtpPhase.MAIL, Reason.REPLY, hint == null ? "sender refused" : "sender refused: " + hint);
  }

  private Future<Reply> send(SmtpCommand command) {
    return connection.send(command, settings.commandTimeoutMs);
  }

  /**
   * Leaves the session in a state that tells the truth. Before the content, or after a refused BDAT chunk, the
   * server holds at most an open transaction: the session stays usable and the next message starts with RSET.
   * After DATA's content began, only the final reply can bring the session back; without it the connection is
   * closed. So is a session that the failure ended (the server closing the channel, a bug): see
   * {@link FailurePolicy#sessionSurvives}.
   */
  private void settleAfterFailure(Throwable failure) {
    SessionState state = connection.state();
    if (!FailurePolicy.sessionSurvives(failure) || state == SessionState.SENDING_DATA) {
      connection.close();
    } else if (state == SessionState.TRANSACTION || state == SessionState.SENDING_CHUNKS
      || state == SessionState.AWAITING_DELIVERY) {
      connection.transition(SessionState.RESET_PENDING);
    }
  }
}
