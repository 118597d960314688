package io.migo.smtp.impl.session;

import io.migo.smtp.impl.protocol.Capabilities;

/**
 * How one message goes over the wire, chosen once before the first byte from what the server offers, what the client
 * allows, and whether the session has already had a message accepted. {@link MailTransaction} has one method per
 * plan; nothing later in the send path asks these questions again.
 *
 * <p>Every plan starts with the RSET that clears a previous failed transaction, in the same write as MAIL.
 */
enum TransactionPlan {
  /**
   * {@code MAIL RCPT… BDAT n LAST <content>} in one write: one round trip (RFC 2920 and RFC 3030 allow BDAT in a
   * pipelined group).
   */
  BDAT_IN_ONE_WRITE,
  /** {@code MAIL RCPT…} in one write, then the BDAT chunks, pipelined, once the envelope's replies are in. */
  PIPELINED_ENVELOPE_THEN_BDAT,
  /** {@code MAIL RCPT… DATA} in one write (RFC 2920 allows DATA last in a group), the content after 354. */
  PIPELINED_ENVELOPE_WITH_DATA,
  /** {@code MAIL RCPT…} in one write, then DATA only once every recipient was accepted, then the content. */
  PIPELINED_ENVELOPE_THEN_DATA,
  /** No PIPELINING: each command waits for its reply, then DATA and the content. */
  LOCK_STEP_THEN_DATA,
  /** No PIPELINING: each command waits for its reply, then BDAT chunks, each waiting for its 250. */
  LOCK_STEP_THEN_BDAT;

  /**
   * Whether, once this message's content is all written, the next message's {@code MAIL RCPT… DATA} may go out
   * before this message's verdict, in the write of its final dot (RFC 2920 §3.1: DATA ends a group; content only
   * after its 354): the DATA plans with PIPELINING. Their content cannot be taken back, so the verdict is all that is
   * left to read, and the next content still waits for its own 354. BDAT plans are one round trip already.
   */
  boolean letsTheNextEnvelopeFollow() {
    return this == PIPELINED_ENVELOPE_WITH_DATA || this == PIPELINED_ENVELOPE_THEN_DATA;
  }

  /**
   * @param sessionProven whether this session has had a message accepted (see {@link Session}): until then the
   *                      server's state is untested, and content behind the envelope could be read as commands
   */
  static TransactionPlan choose(Capabilities capabilities, SessionSettings settings, boolean sessionProven) {
    boolean pipelined = settings.pipelining && capabilities.pipelining();
    boolean chunked = settings.chunking && capabilities.chunking();
    if (!pipelined) {
      return chunked ? LOCK_STEP_THEN_BDAT : LOCK_STEP_THEN_DATA;
    }
    if (chunked) {
      // The content may ride with the envelope only when no envelope reply has to stop it: with
      // failOnRejectedRecipients a refused RCPT must, and on an unproven session a refused MAIL would leave the
      // content to be read as commands. With LMTP the last BDAT gets one reply per accepted recipient (RFC 2033
      // §4.2), a number the RCPT replies tell only once they are in: the replies must be counted before they come.
      boolean oneWrite = sessionProven && !settings.failOnRejectedRecipients && !settings.lmtp;
      return oneWrite ? BDAT_IN_ONE_WRITE : PIPELINED_ENVELOPE_THEN_BDAT;
    }
    // A 354 cannot be taken back without delivering, so a client that must fail on any refused recipient sends DATA
    // only after the RCPT replies. A DATA pipelined behind an unproven envelope is safe: the content waits for 354.
    return settings.failOnRejectedRecipients ? PIPELINED_ENVELOPE_THEN_DATA : PIPELINED_ENVELOPE_WITH_DATA;
  }
}
