package io.migo.smtp.impl.protocol;

import io.migo.smtp.SmtpPhase;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * One command line, already validated and encoded: data for the connection to write, with no behaviour of its own.
 * Built only by {@link Commands}.
 *
 * <p>Immutable, so the constant commands can be shared. The bytes live in a private array and {@link #line()} hands
 * out a fresh Buffer each time, because a Vert.x Buffer is mutable and {@code NetSocket.write(Buffer)} queues a
 * slice that shares its memory: a shared Buffer changed by one caller (or appended to) would change what every
 * connection writes.
 */
public final class SmtpCommand {

  private final SmtpPhase phase;
  private final byte[] line;
  private final String display;

  /**
   * @param text    the command without CRLF, already validated
   * @param display what {@link #toString()} shows: {@code text} itself unless it carries a credential, which the
   *                display masks
   */
  SmtpCommand(SmtpPhase phase, String text, String display) {
    this.phase = phase;
    this.line = (text + "\r\n").getBytes(StandardCharsets.UTF_8);
    this.display = display;
  }

  SmtpCommand(SmtpPhase phase, String text) {
    this(phase, text, text);
  }

  /** The phase a failure of this command is reported in. */
  public SmtpPhase phase() {
    return phase;
  }

  /** The bytes to write, CRLF included; a new Buffer on every call, owned by the caller. */
  public Buffer line() {
    return Buffer.buffer(line);
  }

  /** The line without CRLF for logs; a credential is shown as {@code ***}, e.g. {@code AUTH PLAIN ***}. */
  @Override
  public String toString() {
    return display;
  }
}
