package io.migo.smtp.impl.session;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Every state of one SMTP session and every legal move between them. This table is the only place transitions are
 * defined: {@link SmtpConnection#transition(SessionState)} refuses anything else, so that, for example, a second
 * STARTTLS after TLS, or MAIL before authentication, cannot happen by mistake.
 *
 * <pre>
 * GREETING → EHLO ─┬→ STARTTLS → TLS_HANDSHAKE → EHLO_SECURE ─┬→ AUTH ─→ READY
 *                          └→ HELO ─────────────────────────────────────────┴───────→ READY
 * READY → TRANSACTION ─┬→ SENDING_DATA ──┬→ AWAITING_DELIVERY → READY
 *                      └→ SENDING_CHUNKS ┘          ├──────────→ RESET_PENDING
 *                                                    └→ TRANSACTION_BEHIND_DELIVERY → TRANSACTION
 * TRANSACTION, SENDING_CHUNKS → RESET_PENDING → TRANSACTION (the RSET travels with the next MAIL)
 * READY, RESET_PENDING → QUITTING → CLOSED;  any state → CLOSED
 * </pre>
 *
 * <p>TRANSACTION_BEHIND_DELIVERY is RFC 2920 §3.1 pipelining across messages: the next message's MAIL, RCPT and DATA
 * went out behind the previous message's final dot. Replies come in order, so the previous message's verdict is
 * read first, and whatever it says (delivered or refused) ends that transaction and leaves the next one in
 * TRANSACTION, exactly where it would be had it been sent alone; its content still waits for its own 354.
 */
public enum SessionState {
  /** Connected (TCP, and TLS for implicit TLS), waiting for the 220 greeting: where every connection starts. */
  GREETING,
  /** EHLO sent on the initial channel. */
  EHLO,
  /** HELO sent after EHLO was refused: no extensions, so neither STARTTLS nor AUTH. */
  HELO,
  /** STARTTLS sent, waiting for 220. */
  STARTTLS,
  /** TLS handshake in progress after STARTTLS. */
  TLS_HANDSHAKE,
  /** EHLO sent again over TLS; what was learned before TLS has been discarded. */
  EHLO_SECURE,
  /** SASL exchange in progress. */
  AUTH,
  /** Idle, able to start a mail transaction. */
  READY,
  /** MAIL, RCPT and DATA (or their pipelined batch) in flight. */
  TRANSACTION,
  /** Writing the message content after DATA's 354, dot-stuffed and ended by CRLF.CRLF. */
  SENDING_DATA,
  /** Writing the message content as BDAT chunks (RFC 3030), framed by length. */
  SENDING_CHUNKS,
  /** Content written; waiting for the reply that says whether the server took the message. */
  AWAITING_DELIVERY,
  /**
   * The previous message's final reply is still awaited and the next message's MAIL, RCPT and DATA are in flight
   * behind it (one write with the previous message's final dot). Only DATA-mode messages get here: their content
   * is written before its verdict, and the next content still waits for its own 354.
   */
  TRANSACTION_BEHIND_DELIVERY,
  /** A transaction failed before its data: the server may hold a half-open transaction, cleared by RSET. */
  RESET_PENDING,
  /** QUIT sent. */
  QUITTING,
  /** Connection closed: terminal. */
  CLOSED;

  private static final Map<SessionState, Set<SessionState>> NEXT = new EnumMap<>(SessionState.class);

  static {
    allow(GREETING, EHLO);
    allow(EHLO, HELO, STARTTLS, AUTH, READY);
    allow(HELO, READY);
    // STARTTLS refused under STARTTLS_OPTIONAL: the session goes on in clear, as before the command.
    allow(STARTTLS, TLS_HANDSHAKE, AUTH, READY);
    allow(TLS_HANDSHAKE, EHLO_SECURE);
    allow(EHLO_SECURE, AUTH, READY);
    allow(AUTH, READY);
    allow(READY, TRANSACTION, QUITTING);
    allow(TRANSACTION, SENDING_DATA, SENDING_CHUNKS, RESET_PENDING);
    // Once DATA's content began, only its end (or closing the connection) can stop it: the server reads until the dot.
    allow(SENDING_DATA, AWAITING_DELIVERY);
    // BDAT chunks are framed by length, so the client may stop after any refused chunk and reset (RFC 3030 §2).
    allow(SENDING_CHUNKS, AWAITING_DELIVERY, RESET_PENDING);
    // After the last reply the server has ended the transaction; after a refusal with BDAT, RSET makes sure.
    allow(AWAITING_DELIVERY, READY, RESET_PENDING, TRANSACTION_BEHIND_DELIVERY);
    // The previous message's verdict (positive or not) ended its transaction: the next one stands alone.
    allow(TRANSACTION_BEHIND_DELIVERY, TRANSACTION);
    allow(RESET_PENDING, TRANSACTION, QUITTING);
    allow(QUITTING);
    allow(CLOSED);
    for (SessionState s : values()) {
      if (s != CLOSED) {
        NEXT.get(s).add(CLOSED);
      }
    }
  }

  private static void allow(SessionState from, SessionState... to) {
    EnumSet<SessionState> set = EnumSet.noneOf(SessionState.class);
    set.addAll(Set.of(to));
    NEXT.put(from, set);
  }

  /** Whether the table allows moving from this state to {@code next}. */
  public boolean canMoveTo(SessionState next) {
    return NEXT.get(this).contains(next);
  }

  /** Whether the message content has all been written and its final reply is awaited. */
  public boolean awaitsVerdict() {
    return this == AWAITING_DELIVERY || this == TRANSACTION_BEHIND_DELIVERY;
  }

  /** States in which the session can take a new message. */
  public boolean isIdle() {
    return this == READY || this == RESET_PENDING;
  }
}
