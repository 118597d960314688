package io.migo.smtp;

import java.util.List;

/**
 * Why an SMTP operation failed: the {@linkplain #phase() phase}, the server's reply code and RFC 3463 enhanced code
 * when a reply caused it, the server's lines, and a {@linkplain #reason() reason} that callers can switch on.
 *
 * <p>Each failure also records, when it is made, the two facts that everything else follows from: what the server may
 * hold of the message ({@link #delivery()}), and whether the session it happened on is over ({@link #endsSession()}).
 * The outcome of a send ({@link SendOutcome.Status#of(Throwable)}), whether the client tries it again, and whether
 * it tries another relay are all derived from these, never from the reply code again.
 *
 * <p>Messages never contain credentials: authentication exchanges are reported by phase and reply only.
 */
public class SmtpException extends RuntimeException {

  /** What kind of failure this is. */
  public enum Reason {
    /** The server answered with a negative or unexpected reply code. */
    REPLY,
    /** The server refused the credentials (535). */
    AUTHENTICATION_FAILED,
    /** A security policy stopped the session: TLS unavailable, cleartext AUTH refused, mechanism too weak (534/538). */
    SECURITY,
    /** The server's bytes were not valid SMTP (malformed or oversized reply, reply out of turn). */
    PROTOCOL,
    /** No reply came within the phase's timeout. */
    TIMEOUT,
    /** The connection could not be opened, or was lost. */
    CONNECTION,
    /** The TLS handshake failed (certificate, host name, protocol). */
    TLS,
    /** The caller's input was refused before anything was sent. */
    INVALID_INPUT,
    /** No session became free in time, or too many sends were already waiting for one. */
    POOL_EXHAUSTED,
    /** The client was closed. */
    CLOSED,
    /**
     * The relay kept asking the client to slow down (a {@linkplain ThrottlingRules throttling reply}) for longer than
     * the {@linkplain SmtpClientOptions#getThrottleTimeout() throttle timeout}; the message was deferred until then and
     * the server holds nothing of it.
     */
    THROTTLED,
    /**
     * The relay said the account's sending quota is used up ({@link ThrottlingRules.Kind#QUOTA}): the client stopped
     * and sent nothing more; this message was not sent.
     */
    QUOTA_EXCEEDED,
    /**
     * The bulk send's {@link BulkJournal} shows this message in flight (or UNKNOWN) when an earlier run stopped: it
     * may have been delivered, so it was not sent again ({@link BulkOptions#setResendUnknown(boolean)} sends it).
     */
    IN_FLIGHT_BEFORE,
    /** The bulk send's {@link BulkJournal} could not record the message's start: it was not sent. */
    JOURNAL,
    /**
     * An unexpected error inside the client (a bug, not the server's doing). It may have struck after the message
     * went out, so whether the server received the message is unknown: the outcome is UNKNOWN, never retried.
     */
    INTERNAL
  }

  /** What the server may hold of the message when the failure struck: the fact that decides what may be done next. */
  public enum Delivery {
    /**
     * The server holds nothing of the message: none of it was sent, or its data was cut off before its end (a server
     * discards a message whose data did not end). Sending it again delivers it once.
     */
    NOT_SENT,
    /**
     * The server answered the message (its sender, its recipients, its DATA or its data) with a refusal, and holds
     * nothing of it. Whether sending it again may help depends on the reply: a 4xx may pass later, a 5xx will not.
     */
    REFUSED,
    /**
     * The whole message went out but its verdict never came (connection lost, timeout, garbled reply), or a bug struck
     * at a point the client cannot place: the server may have accepted it. Sending it again may deliver it twice.
     */
    MAYBE_DELIVERED
  }

  private final SmtpPhase phase;
  private final Reason reason;
  private final int replyCode;
  private final String enhancedCode;
  private final List<String> serverLines;
  private final Delivery delivery;
  private final boolean endsSession;

  public SmtpException(SmtpPhase phase, Reason reason, String message) {
    this(phase, reason, message, -1, null, List.of(), null);
  }

  public SmtpException(SmtpPhase phase, Reason reason, String message, Throwable cause) {
    this(phase, reason, message, -1, null, List.of(), cause);
  }

  /**
   * A failure whose {@link #delivery()} follows from its phase, reason and reply: {@link Reason#INTERNAL} may have
   * delivered; a reply in MAIL, RCPT, DATA, DATA_END or BDAT refused the message; a DATA_END failure without a reply
   * (lost, late, garbled, closed, TLS) may have delivered, since the whole message had gone out; anything else
   * (including {@link Reason#INVALID_INPUT}) sent nothing the server keeps.
   */
  public SmtpException(SmtpPhase phase, Reason reason, String message, int replyCode, String enhancedCode,
                       List<String> serverLines, Throwable cause) {
    this(phase, reason, deliveryOf(phase, reason, replyCode), message, replyCode, enhancedCode, serverLines, cause);
  }

  /** A failure made where the client knows better than its phase what the server may hold of the message. */
  public SmtpException(SmtpPhase phase, Reason reason, Delivery delivery, String message, int replyCode,
                       String enhancedCode, List<String> serverLines, Throwable cause) {
    super(describe(phase, message, replyCode, enhancedCode), cause);
    this.phase = phase;
    this.reason = reason;
    this.delivery = delivery;
    this.replyCode = replyCode;
    this.enhancedCode = enhancedCode;
    this.serverLines = List.copyOf(serverLines);
    this.endsSession = endsSession(reason, replyCode);
  }

  /**
   * {@code failure} itself when it is an SmtpException; otherwise it was not made by the protocol layer, which is
   * where what the server holds is known, so it is wrapped with reason {@link Reason#INTERNAL}: maybe delivered.
   */
  public static SmtpException of(Throwable failure) {
    if (failure instanceof SmtpException e) {
      return e;
    }
    return new SmtpException(SmtpPhase.MESSAGE, Reason.INTERNAL,
      "unexpected error in the client; whether the server received the message is unknown: " + failure, failure);
  }

  /**
   * What the server may hold, from where the failure struck. The phases are what make this unambiguous: a session
   * names a failure {@link SmtpPhase#MESSAGE} while the data is still going out and {@link SmtpPhase#DATA_END} only
   * once all of it has, so a DATA_END failure without a reply is the one case where the message may have arrived.
   */
  private static Delivery deliveryOf(SmtpPhase phase, Reason reason, int replyCode) {
    if (reason == Reason.INTERNAL || reason == Reason.IN_FLIGHT_BEFORE) {
      return Delivery.MAYBE_DELIVERED;
    }
    if (reason == Reason.INVALID_INPUT) {
      return Delivery.NOT_SENT;
    }
    boolean aboutTheMessage = switch (phase) {
      case MAIL, RCPT, DATA, DATA_END, BDAT -> true;
      default -> false;
    };
    if (aboutTheMessage && replyCode > 0) {
      return Delivery.REFUSED;
    }
    if (phase == SmtpPhase.DATA_END && lostTheVerdict(reason)) {
      return Delivery.MAYBE_DELIVERED;
    }
    return Delivery.NOT_SENT;
  }

  /** How a verdict that the server may have given can fail to reach the client. */
  private static boolean lostTheVerdict(Reason reason) {
    return switch (reason) {
      case CONNECTION, TIMEOUT, PROTOCOL, CLOSED, TLS -> true;
      default -> false;
    };
  }

  /**
   * The connection is gone or going: lost, timed out, garbled, closed, broken by a bug; or the server said it is
   * closing the transmission channel (421, RFC 5321 §3.8), whatever the command. The one place that knows 421.
   */
  private static boolean endsSession(Reason reason, int replyCode) {
    return switch (reason) {
      case CONNECTION, TIMEOUT, PROTOCOL, TLS, CLOSED, INTERNAL -> true;
      default -> replyCode == 421;
    };
  }

  private static String describe(SmtpPhase phase, String message, int code, String enhanced) {
    StringBuilder sb = new StringBuilder(phase.name()).append(": ").append(message);
    if (code > 0) {
      sb.append(" [").append(code);
      if (enhanced != null) {
        sb.append(' ').append(enhanced);
      }
      sb.append(']');
    }
    return sb.toString();
  }

  public SmtpPhase phase() {
    return phase;
  }

  public Reason reason() {
    return reason;
  }

  /** What the server may hold of the message: nothing, a refusal of it, or possibly the whole of it. */
  public Delivery delivery() {
    return delivery;
  }

  /**
   * Whether the session this happened on is over: the connection was lost or closed, a reply was garbled or late, or
   * the server announced it is closing the channel. A session that is not over can carry another message.
   */
  public boolean endsSession() {
    return endsSession;
  }

  /** The server's reply code, or -1 when no reply caused this failure. */
  public int replyCode() {
    return replyCode;
  }

  /** The RFC 3463 enhanced status code (e.g. {@code 5.7.8}), or {@code null} when the server gave none. */
  public String enhancedCode() {
    return enhancedCode;
  }

  /** The text of the server's reply lines (without the code), empty when no reply caused this failure. */
  public List<String> serverLines() {
    return serverLines;
  }

  /** The server's text alone: its lines joined by spaces, without the enhanced code; empty without a reply. */
  public String serverMessage() {
    StringBuilder sb = new StringBuilder();
    for (String line : serverLines) {
      String text = enhancedCode != null && line.startsWith(enhancedCode + " ")
        ? line.substring(enhancedCode.length() + 1) : line;
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(text);
    }
    return sb.toString();
  }

  /** A 4xx reply: the same request may succeed later. */
  public boolean isTransient() {
    return replyCode >= 400 && replyCode < 500;
  }

  /** A 5xx reply: repeating the same request will fail again. */
  public boolean isPermanent() {
    return replyCode >= 500 && replyCode < 600;
  }
}
