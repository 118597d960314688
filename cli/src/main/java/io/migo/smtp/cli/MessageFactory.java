package io.migo.smtp.cli;

import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailMessage;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * What {@code send} sends, built once and handed out per message: either a {@link MailMessage} that the client
 * MIME-encodes (each send gets its own Message-ID), or a ready RFC 5322 file sent as raw bytes with an explicit
 * envelope.
 */
final class MessageFactory {

  static final String DEFAULT_SUBJECT = "migo-smtp test";
  static final String DEFAULT_TEXT = "Hello from migo-smtp";

  /**
   * Printable characters per padding line. 76 is the classic MIME line width: well under the 998 limit of RFC 5322
   * and short enough that vertx-mail-client's encoder keeps the text 7bit instead of switching to quoted-printable
   * (which would change the size we aimed for).
   */
  static final int PAD_LINE_WIDTH = 76;

  /** Cycled through, shifted by one per line, so that padding does not compress to nothing on a relay that compresses. */
  private static final String PAD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private final MailMessage template;
  private final Envelope envelope;
  private final Buffer raw;

  private MessageFactory(MailMessage template, Envelope envelope, Buffer raw) {
    this.template = template;
    this.envelope = envelope;
    this.raw = raw;
  }

  /**
   * A text message. With {@code size > 0} the text is padded with lines of printable characters until it is about
   * {@code size} bytes (UTF-8); text already that long is left alone.
   */
  static MessageFactory text(String from, List<String> to, String subject, String text, int size) {
    MailMessage message = new MailMessage()
      .setFrom(Objects.requireNonNull(from, "from"))
      .setTo(List.copyOf(to))
      .setSubject(subject != null ? subject : DEFAULT_SUBJECT)
      .setText(pad(text != null ? text : DEFAULT_TEXT, size));
    return new MessageFactory(message, null, null);
  }

  /** A ready message file; its line endings are left to the client, which normalizes them to CRLF on the way out. */
  static MessageFactory raw(String from, List<String> to, byte[] eml) {
    return new MessageFactory(null, new Envelope(from, to), Buffer.buffer(eml));
  }

  /**
   * One message to send, in the form that fits what was built: the raw bytes with their envelope (shared by every
   * message: a Buffer handed to the client is only read), or a fresh MailMessage.
   */
  Mail mail() {
    return raw != null ? Mail.raw(envelope, raw) : Mail.of(mailMessage());
  }

  /** A fresh copy per send: MailMessage is mutable and the client may read it after this call returns. */
  MailMessage mailMessage() {
    return template == null ? null : new MailMessage(template);
  }

  /** The raw message, or {@code null} for a text message. */
  Buffer rawMessage() {
    return raw;
  }

  /**
   * {@code text}, then as many padding lines as it takes to reach about {@code size} UTF-8 bytes (never more than
   * one line over or under). Lines end in LF only: the encoder would quote-print a CR, and the client turns every LF
   * into CRLF on the wire anyway.
   */
  static String pad(String text, int size) {
    int length = text.getBytes(StandardCharsets.UTF_8).length;
    if (size <= length) {
      return text;
    }
    StringBuilder sb = new StringBuilder(size + PAD_LINE_WIDTH).append(text);
    if (!text.isEmpty() && !text.endsWith("\n")) {
      sb.append('\n');
      length++;
    }
    for (int line = 0; length < size; line++) {
      // The last line is cut short so that the total lands on the target rather than up to a line past it.
      int width = Math.max(1, Math.min(PAD_LINE_WIDTH, size - length - 1));
      for (int i = 0; i < width; i++) {
        sb.append(PAD_ALPHABET.charAt((line + i) % PAD_ALPHABET.length()));
      }
      sb.append('\n');
      length += width + 1;
    }
    return sb.toString();
  }
}
