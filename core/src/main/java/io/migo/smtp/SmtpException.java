package io.migo.smtp;

import java.util.List;

/**
 * Why an SMTP operation failed: the {@linkplain #phase() phase}, the server's reply code and RFC 3463 enhanced code
 * when a reply caused it, the server's lines, and a {@linkplain #reason() reason} that callers can switch on.
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
     * An unexpected error inside the client (a bug, not the server's doing). It may have struck after the message
     * went out, so whether the server received the message is unknown: the outcome is UNKNOWN, never retried.
     */
    INTERNAL
  }

  private final SmtpPhase phase;
  private final Reason reason;
  private final int replyCode;
  private final String enhancedCode;
  private final List<String> serverLines;

  public SmtpException(SmtpPhase phase, Reason reason, String message) {
    this(phase, reason, message, -1, null, List.of(), null);
  }

  public SmtpException(SmtpPhase phase, Reason reason, String message, Throwable cause) {
    this(phase, reason, message, -1, null, List.of(), cause);
  }

  public SmtpException(SmtpPhase phase, Reason reason, String message, int replyCode, String enhancedCode,
                       List<String> serverLines, Throwable cause) {
    super(describe(phase, message, replyCode, enhancedCode), cause);
    this.phase = phase;
    this.reason = reason;
    this.replyCode = replyCode;
    this.enhancedCode = enhancedCode;
    this.serverLines = List.copyOf(serverLines);
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
