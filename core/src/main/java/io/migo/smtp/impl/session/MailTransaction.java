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
 * <p>How many round trips that costs depends on the {@link TransactionPlan}, chosen once, before anything is sent:
 * <ul>
 *   <li>PIPELINING and CHUNKING: {@code [RSET] MAIL RCPT… BDAT n LAST <content>} in one write, one round trip
 *   (except for a session's first message, whose content waits for the envelope's replies);</li>
 *   <li>PIPELINING only: {@code [RSET] MAIL RCPT… DATA} in one write, then the content: two round trips, or one in
 *   steady state, when this envelope rides in the write of the previous message's final dot (RFC 2920 §3.1) — see
 *   {@link #nextMayFollow};</li>
 *   <li>neither: each command waits for its reply.</li>
 * </ul>
 * The RSET that clears a previous failed transaction travels in the same write instead of costing its own round
 * trip. A refused recipient does not stop the message (unless the client is set to fail on it): the others get it,
 * and the refusal is reported in the {@link SendResult}.
 *
 * <p>The writers only write and report progress; the session's state moves here.
 */
public final class MailTransaction {

  private final SmtpConnection connection;
  private final Capabilities capabilities;
  private final SessionSettings settings;
  private final OutgoingMessage message;
  private final TransactionPlan plan;
  private final List<SmtpCommand> recipientCommands = new ArrayList<>();
  /** Recipients beyond what the server takes in one transaction: they follow in another ({@link #postponed()}). */
  private final List<String> postponed = new ArrayList<>(0);
  private SmtpCommand mailCommand;
  /** A previous transaction failed: the envelope starts with RSET. */
  private boolean resetFirst;
  /**
   * Told when this message's content is all written and its final reply awaited, if the next message may then go
   * behind it ({@link TransactionPlan#letsTheNextEnvelopeFollow}): its MAIL, RCPT and DATA join the final dot's
   * write, and its content still waits for its own 354.
   */
  private final Runnable nextMayFollow;

  /**
   * @param sessionProven whether the session has had a message accepted (see {@link Session})
   * @param nextMayFollow see {@link #nextMayFollow}
   */
  MailTransaction(SmtpConnection connection, Capabilities capabilities, SessionSettings settings,
                  OutgoingMessage message, boolean sessionProven, Runnable nextMayFollow) {
    this.connection = connection;
    this.nextMayFollow = nextMayFollow;
    this.capabilities = capabilities;
    this.settings = settings;
    this.message = message;
    this.plan = TransactionPlan.choose(capabilities, settings, sessionProven);
  }

  /** The replies to the envelope commands; {@code data} only when DATA was pipelined with them. */
  private record EnvelopeReplies(Reply mail, List<Reply> recipients, Reply data) {
  }

  /** The replies a pipelined envelope will get; {@code rset} only when the envelope starts with RSET. */
  private record PendingEnvelope(Future<Reply> rset, Future<Reply> mail, List<Future<Reply>> recipients) {
  }

  /**
   * After a successful {@link #run()}: the recipients the server would not take in this transaction because it had
   * as many as it takes in one ({@link FailurePolicy#postponesRecipient}); they are neither accepted nor rejected.
   */
  List<String> postponed() {
    return postponed;
  }

  Future<SendResult> run() {
    try {
      buildEnvelopeCommands();
    } catch (SmtpException e) {
      return Future.failedFuture(e);
    }
    SessionState before = connection.state();
    resetFirst = before == SessionState.RESET_PENDING;
    // Behind a previous message whose verdict is still awaited (the session handed this one over when that one's
    // content was written): the commands join its final dot's write, and its verdict is read before their replies.
    connection.transition(before == SessionState.AWAITING_DELIVERY
      ? SessionState.TRANSACTION_BEHIND_DELIVERY : SessionState.TRANSACTION);
    Future<SendResult> result = switch (plan) {
      case BDAT_IN_ONE_WRITE -> bdatInOneWrite();
      case PIPELINED_ENVELOPE_THEN_BDAT -> pipelinedEnvelopeThenBdat();
      case PIPELINED_ENVELOPE_WITH_DATA -> pipelinedEnvelopeWithData();
      case PIPELINED_ENVELOPE_THEN_DATA -> pipelinedEnvelopeThenData();
      case LOCK_STEP_THEN_DATA -> lockStepThenData();
      case LOCK_STEP_THEN_BDAT -> lockStepThenBdat();
    };
    return result.onFailure(this::settleAfterFailure);
  }

  // ------------------------------------------------------------------ plans

  /** Every reply is read before the outcome is decided, so that none is left in flight. */
  private Future<SendResult> bdatInOneWrite() {
    Batch batch = new Batch(connection);
    PendingEnvelope envelope = addEnvelope(batch);
    Future<Reply> verdict = sendChunks(batch, true, 0).verdict();
    return collectEnvelope(envelope, null)
      .compose(replies -> verdict.transform(ignored -> checkRecipients(replies)))
      .compose(rejected -> verdict.compose(reply -> deliveryResult(reply, rejected)));
  }

  private Future<SendResult> pipelinedEnvelopeThenBdat() {
    return sendEnvelopePipelined(false)
      .compose(this::checkRecipients)
      .compose(rejected -> sendChunksAndDecide(rejected, true));
  }

  private Future<SendResult> pipelinedEnvelopeWithData() {
    return sendEnvelopePipelined(true)
      .compose(this::openData)
      .compose(this::sendDataContent);
  }

  /** When the client must fail on any refused recipient: a 354 cannot be taken back without delivering. */
  private Future<SendResult> pipelinedEnvelopeThenData() {
    return sendEnvelopePipelined(false)
      .compose(this::openData)
      .compose(this::sendDataContent);
  }

  private Future<SendResult> lockStepThenData() {
    return sendEnvelopeLockStep()
      .compose(this::openData)
      .compose(this::sendDataContent);
  }

  private Future<SendResult> lockStepThenBdat() {
    return sendEnvelopeLockStep()
      .compose(this::checkRecipients)
      .compose(rejected -> sendChunksAndDecide(rejected, false));
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
    if (envelope.requireTls()) {
      params.add(requireTlsParameter());
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

  /**
   * RFC 8689 §4.1: a message that requires TLS goes only over TLS, to a server that offers REQUIRETLS; otherwise it is
   * refused here, before MAIL, as a message this session cannot carry (like 8-bit content without 8BITMIME): every
   * session of the pool would give the same answer, so it is not retried.
   */
  private String requireTlsParameter() {
    if (!connection.isEncrypted()) {
      throw new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT,
        "the message requires TLS (REQUIRETLS) and this session is not encrypted: not sent; connect with "
          + "TlsMode.STARTTLS or TlsMode.IMPLICIT");
    }
    if (!capabilities.requireTls()) {
      throw new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT,
        "the message requires TLS (REQUIRETLS) and the server does not offer REQUIRETLS (RFC 8689): not sent; "
          + "send it through a relay that offers it, or without withRequireTls");
    }
    return "REQUIRETLS";
  }

  /** One write: [RSET] MAIL RCPT… [DATA]. RFC 2920 allows DATA as the last command of a group. */
  private Future<EnvelopeReplies> sendEnvelopePipelined(boolean withData) {
    Batch batch = new Batch(connection);
    PendingEnvelope envelope = addEnvelope(batch);
    Future<Reply> data = withData ? batch.add(Commands.data(), settings.commandTimeoutMs) : null;
    batch.flush(settings.commandTimeoutMs);
    return collectEnvelope(envelope, data);
  }

  /** [RSET] MAIL RCPT… into {@code batch}, each with its reply registered. */
  private PendingEnvelope addEnvelope(Batch batch) {
    Future<Reply> rset = resetFirst ? batch.add(Commands.rset(), settings.commandTimeoutMs) : null;
    Future<Reply> mail = batch.add(mailCommand, settings.commandTimeoutMs);
    List<Future<Reply>> rcpts = new ArrayList<>(recipientCommands.size());
    for (SmtpCommand rcpt : recipientCommands) {
      rcpts.add(batch.add(rcpt, settings.commandTimeoutMs));
    }
    return new PendingEnvelope(rset, mail, rcpts);
  }

  /** Waits for every reply of a pipelined group, so that none is left in flight whatever the outcome. */
  private Future<EnvelopeReplies> collectEnvelope(PendingEnvelope envelope, Future<Reply> data) {
    Future<Reply> rset = envelope.rset();
    Future<Reply> mail = envelope.mail();
    List<Future<Reply>> rcpts = envelope.recipients();
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
  private Future<EnvelopeReplies> sendEnvelopeLockStep() {
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
    List<RecipientRejection> limited = new ArrayList<>(0);
    for (int i = 0; i < replies.recipients().size(); i++) {
      Reply reply = replies.recipients().get(i);
      if (!reply.isPositiveCompletion()) {
        String enhanced = reply.enhancedCode() == null ? null : reply.enhancedCode().toString();
        RecipientRejection refusal = new RecipientRejection(recipients.get(i), reply.code(), enhanced, reply.message());
        boolean tooMany = FailurePolicy.postponesRecipient(reply.code(), enhanced, reply.message(),
          settings.throttlingRules);
        (tooMany ? limited : rejected).add(refusal);
      }
    }
    if (rejected.size() + limited.size() == recipients.size()) {
      // Nothing accepted, so there is no transaction for the others to follow: the limit is the failure.
      rejected.addAll(limited);
      limited.clear();
    }
    limited.forEach(r -> postponed.add(r.address()));
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

  /** The recipients decide whether the message goes; then DATA must be answered 354. */
  private Future<List<RecipientRejection>> openData(EnvelopeReplies replies) {
    return checkRecipients(replies)
      .compose(rejected -> dataAccepted(replies, rejected))
      .onFailure(refusal -> abandonOpenData(replies));
  }

  /** Sends DATA unless it was pipelined with the envelope; a reply other than 354 stops the message. */
  private Future<List<RecipientRejection>> dataAccepted(EnvelopeReplies replies, List<RecipientRejection> rejected) {
    Future<Reply> data = replies.data() != null ? Future.succeededFuture(replies.data()) : send(Commands.data());
    return data.compose(reply -> reply.code() == 354
      ? Future.succeededFuture(rejected)
      : Future.failedFuture(reply.toException(SmtpPhase.DATA, Reason.REPLY, "DATA refused")));
  }

  // ------------------------------------------------------------------ content

  private Future<SendResult> sendDataContent(List<RecipientRejection> rejected) {
    connection.transition(SessionState.SENDING_DATA);
    Future<Reply> verdict = connection.expectReply(SmtpPhase.DATA_END, settings.dataTimeoutMs);
    // LMTP: one reply per accepted recipient, registered before the content so that they come before the replies of
    // a next message sent behind this one.
    List<String> lmtpRecipients = settings.lmtp ? acceptedAtRcpt(rejected) : null;
    List<Future<Reply>> moreVerdicts = settings.lmtp
      ? LmtpVerdicts.expectMore(connection, lmtpRecipients.size() - 1, settings.dataTimeoutMs) : null;
    // Recipients beyond the server's limit follow in another transaction of this message, which must come first.
    boolean nextFollows = plan.letsTheNextEnvelopeFollow() && postponed.isEmpty();
    new MessageWriter(connection, settings.commandTimeoutMs, nextFollows).write(message.content())
      .onSuccess(v -> {
        contentWritten(SessionState.SENDING_DATA);
        if (nextFollows && connection.state() == SessionState.AWAITING_DELIVERY) {
          nextMayFollow.run();
        }
      });
    if (settings.lmtp) {
      return verdict.transform(ar -> ar.succeeded() && !connection.state().awaitsVerdict()
        ? repliedTooEarly(ar.result())
        : lmtpResult(verdict, moreVerdicts, lmtpRecipients, rejected));
    }
    return verdict.compose(reply -> {
      if (!connection.state().awaitsVerdict()) {
        return repliedTooEarly(reply);
      }
      return deliveryResult(reply, rejected);
    });
  }

  /** A reply before the end of our data: whatever we still write would be read as commands. */
  private Future<SendResult> repliedTooEarly(Reply reply) {
    connection.close();
    return Future.failedFuture(reply.toException(SmtpPhase.MESSAGE, Reason.PROTOCOL,
      "the server replied before the end of the message data"));
  }

  /**
   * The content as BDAT chunks, then the verdict: the last chunk's reply, or with LMTP that reply and one more per
   * further accepted recipient.
   */
  private Future<SendResult> sendChunksAndDecide(List<RecipientRejection> rejected, boolean pipelined) {
    if (!settings.lmtp) {
      return sendChunks(null, pipelined, 0).verdict().compose(verdict -> deliveryResult(verdict, rejected));
    }
    List<String> recipients = acceptedAtRcpt(rejected);
    ChunkWriter.Chunks chunks = sendChunks(null, pipelined, recipients.size() - 1);
    Future<Reply> first = chunks.verdict();
    return first.transform(ar -> {
      if (ar.failed() && SmtpException.of(ar.cause()).phase() != SmtpPhase.DATA_END) {
        // A chunk was refused or could not be written: nothing was delivered. Replies registered for the last chunk
        // may never come (a server answers a failed BDAT sequence once), so the session cannot be trusted to pair
        // replies any more.
        if (!chunks.moreVerdicts().isEmpty()) {
          connection.close();
        }
        return Future.failedFuture(ar.cause());
      }
      return lmtpResult(first, chunks.moreVerdicts(), recipients, rejected);
    });
  }

  /** LMTP's replies after the data, one per accepted recipient, decide ({@link LmtpVerdicts}). */
  private Future<SendResult> lmtpResult(Future<Reply> first, List<Future<Reply>> more, List<String> recipients,
                                        List<RecipientRejection> rejected) {
    List<Future<Reply>> replies = new ArrayList<>(more.size() + 1);
    replies.add(first);
    replies.addAll(more);
    return LmtpVerdicts.settle(message.messageId(), recipients, replies, rejected, message.envelope().recipients())
      .onSuccess(result -> afterLmtpVerdicts(replies));
  }

  /**
   * Every reply is in and at least one recipient has the message: the transaction is over, whatever the others said —
   * unless a recipient's reply was a 421, with which the server announced it closes the channel.
   */
  private void afterLmtpVerdicts(List<Future<Reply>> replies) {
    for (Future<Reply> reply : replies) {
      if (reply.result().code() == 421) {
        closeAfter(reply.result().toException(SmtpPhase.DATA_END, Reason.REPLY, "the server is closing the session"));
        return;
      }
    }
    connection.transition(afterVerdict(SessionState.READY));
  }

  /** The recipients accepted at RCPT, in RCPT order: those the server answers for after the data with LMTP. */
  private List<String> acceptedAtRcpt(List<RecipientRejection> rejected) {
    List<String> accepted = new ArrayList<>(message.envelope().recipients());
    rejected.forEach(r -> accepted.remove(r.address()));
    postponed.forEach(accepted::remove);
    return accepted;
  }

  /**
   * The content as BDAT chunks, the first in {@code first} when the envelope's batch carries it; completes with the
   * reply to the last chunk.
   */
  private ChunkWriter.Chunks sendChunks(Batch first, boolean pipelined, int moreVerdicts) {
    connection.transition(SessionState.SENDING_CHUNKS);
    ChunkWriter.Chunks chunks = new ChunkWriter(connection, message.content(), settings, pipelined, moreVerdicts)
      .write(first);
    chunks.written().onSuccess(v -> contentWritten(SessionState.SENDING_CHUNKS));
    return chunks;
  }

  /** The last content bytes are with the socket: what the server says next is its verdict on the message. */
  private void contentWritten(SessionState sending) {
    // The server may have answered early (and ended the transaction, or the connection) while they were queued.
    if (connection.state() == sending) {
      connection.transition(SessionState.AWAITING_DELIVERY);
    }
  }

  /** The reply to the end of the content decides: the server has the message, or it refused it. */
  private Future<SendResult> deliveryResult(Reply reply, List<RecipientRejection> rejected) {
    if (!reply.isPositiveCompletion()) {
      return Future.failedFuture(reply.toException(SmtpPhase.DATA_END, Reason.REPLY, "message refused"));
    }
    connection.transition(afterVerdict(SessionState.READY));
    List<String> accepted = new ArrayList<>(message.envelope().recipients());
    rejected.forEach(r -> accepted.remove(r.address()));
    postponed.forEach(accepted::remove);
    return Future.succeededFuture(new SendResult(message.messageId(), String.join(" ", reply.lines()), accepted,
      rejected));
  }

  // ------------------------------------------------------------------ helpers

  /**
   * The state once this transaction's final reply is in: {@code alone} when no message follows, else the next
   * message's transaction, pipelined behind this one, stands on its own.
   */
  private SessionState afterVerdict(SessionState alone) {
    return connection.state() == SessionState.TRANSACTION_BEHIND_DELIVERY ? SessionState.TRANSACTION : alone;
  }

  /**
   * Closes the connection after a failure that ends the session. When the server announced it (421), the commands of
   * a next message pipelined behind this one fail with that announcement, as they would had they met it themselves:
   * nothing of that message was delivered, and it goes again at once on a fresh session
   * ({@link FailurePolicy.Retry#FRESH_SESSION}). Anything else is the client's own close.
   */
  private void closeAfter(Throwable failure) {
    if (failure instanceof SmtpException e && e.reason() == Reason.REPLY && e.endsSession()) {
      connection.fail(e);
    } else {
      connection.close();
    }
  }

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
      closeAfter(failure);
    } else if (state == SessionState.TRANSACTION_BEHIND_DELIVERY) {
      // This message's verdict refused it, which ended its transaction; the next message's envelope is already on
      // the wire behind it, and a server reads it as the start of a new one (RFC 5321 §4.1.1.4): no RSET.
      connection.transition(SessionState.TRANSACTION);
    } else if (state == SessionState.TRANSACTION || state == SessionState.SENDING_CHUNKS
      || state == SessionState.AWAITING_DELIVERY) {
      connection.transition(SessionState.RESET_PENDING);
    }
  }
}
