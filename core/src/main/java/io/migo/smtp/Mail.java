package io.migo.smtp;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailMessage;

import java.util.Objects;

/**
 * One message to send, in either of the client's two forms, with an optional correlation id of the caller's choosing
 * so that a bulk send's {@link SendOutcome} can be matched to the caller's own record, and optional delivery status
 * notifications ({@link DsnOptions}). Immutable: the {@code with...} methods return a copy.
 */
public final class Mail {

  private final MailMessage message;
  private final Envelope envelope;
  private final Buffer content;
  private final Object correlationId;
  /** For the MailMessage form, whose envelope is derived when it is sent; a raw mail's is in its envelope. */
  private final DsnOptions messageDsn;
  private final boolean messageRequireTls;

  private Mail(MailMessage message, Envelope envelope, Buffer content, Object correlationId, DsnOptions messageDsn,
               boolean messageRequireTls) {
    this.message = message;
    this.envelope = envelope;
    this.content = content;
    this.correlationId = correlationId;
    this.messageDsn = messageDsn;
    this.messageRequireTls = messageRequireTls;
  }

  /** A message built with vertx-mail-client's {@link MailMessage}, sent as by {@link SmtpClient#send(MailMessage)}. */
  public static Mail of(MailMessage message) {
    return new Mail(Objects.requireNonNull(message, "message"), null, null, null, DsnOptions.none(), false);
  }

  /** A ready RFC 5322 message with its envelope, sent as by {@link SmtpClient#send(Envelope, Buffer)}. */
  public static Mail raw(Envelope envelope, Buffer content) {
    return new Mail(null, Objects.requireNonNull(envelope, "envelope"), Objects.requireNonNull(content, "content"),
      null, null, false);
  }

  /** A copy of this mail carrying the caller's correlation id (any value; {@code null} for none). */
  public Mail withCorrelationId(Object correlationId) {
    return new Mail(message, envelope, content, correlationId, messageDsn, messageRequireTls);
  }

  /**
   * A copy of this mail asking for these delivery status notifications: a raw mail's envelope gets them, a
   * MailMessage's derived envelope will.
   */
  public Mail withDsn(DsnOptions dsn) {
    Objects.requireNonNull(dsn, "dsn");
    return isRaw()
      ? new Mail(null, envelope.withDsn(dsn), content, correlationId, null, false)
      : new Mail(message, null, null, correlationId, dsn, messageRequireTls);
  }

  /** A copy of this mail that does or does not require TLS all the way: see {@link Envelope#withRequireTls}. */
  public Mail withRequireTls(boolean requireTls) {
    return isRaw()
      ? new Mail(null, envelope.withRequireTls(requireTls), content, correlationId, null, false)
      : new Mail(message, null, null, correlationId, messageDsn, requireTls);
  }

  /** Whether the message requires TLS all the way (REQUIRETLS); false unless set. */
  public boolean requireTls() {
    return isRaw() ? envelope.requireTls() : messageRequireTls;
  }

  /** The delivery status notifications asked for; {@link DsnOptions#none()} unless set. */
  public DsnOptions dsn() {
    return isRaw() ? envelope.dsn() : messageDsn;
  }

  /** The caller's correlation id, or {@code null}. */
  public Object correlationId() {
    return correlationId;
  }

  /** The MailMessage form, or {@code null} for a raw mail. */
  public MailMessage message() {
    return message;
  }

  /** The envelope of a raw mail, or {@code null} for a MailMessage. */
  public Envelope envelope() {
    return envelope;
  }

  /** The content of a raw mail, or {@code null} for a MailMessage. */
  public Buffer content() {
    return content;
  }

  public boolean isRaw() {
    return message == null;
  }

  @Override
  public String toString() {
    String what = message != null ? "message" : envelope.toString();
    return correlationId == null ? "Mail[" + what + "]" : "Mail[" + what + ", id=" + correlationId + "]";
  }
}
