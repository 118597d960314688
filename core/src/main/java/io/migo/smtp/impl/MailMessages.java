package io.migo.smtp.impl;

import io.migo.smtp.DsnOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.impl.protocol.Addresses;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.mailencoder.EmailAddress;
import io.vertx.ext.mail.mailencoder.MailEncoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns vertx-mail-client's {@link MailMessage} into an {@link OutgoingMessage}, MIME-encoded by vertx-mail-client's
 * own encoder. Header names and values are checked first: a CR, LF or NUL in them could smuggle extra headers (or a
 * whole message) past the encoder.
 */
public final class MailMessages {

  private MailMessages() {
  }

  /** The envelope (bounce address or From, and every To, Cc and Bcc) with {@code dsn}, and the encoded content. */
  public static OutgoingMessage toOutgoing(MailMessage message, String hostname, DsnOptions dsn) {
    return toOutgoing(message, hostname, dsn, false);
  }

  /** As {@link #toOutgoing(MailMessage, String, DsnOptions)}, the envelope requiring TLS if {@code requireTls}. */
  public static OutgoingMessage toOutgoing(MailMessage message, String hostname, DsnOptions dsn, boolean requireTls) {
    validate(message);
    Envelope envelope = envelope(message).withDsn(dsn).withRequireTls(requireTls);
    return encoded(envelope, new MailEncoder(message, hostname));
  }

  /**
   * As {@link #toOutgoing(MailMessage, String, DsnOptions)} without DSN, encoded with a vertx-mail-client
   * {@link MailConfig}'s encoder settings (its user agent in boundaries and Message-IDs, multipart-only), as
   * vertx-mail-client's own client encodes.
   */
  public static OutgoingMessage toOutgoing(MailMessage message, String hostname, MailConfig encoderConfig) {
    validate(message);
    return encoded(envelope(message), new MailEncoder(message, hostname, encoderConfig));
  }

  private static OutgoingMessage encoded(Envelope envelope, MailEncoder encoder) {
    Buffer content = Buffer.buffer(encoder.encode().getBytes(StandardCharsets.UTF_8));
    return new OutgoingMessage(envelope, content, encoder.getMessageID());
  }

  /** A cheap estimate of the encoded size (text, HTML and attachment data), to decide where to encode. */
  public static long estimatedSize(MailMessage message) {
    long size = length(message.getText()) + length(message.getHtml());
    size += attachmentsSize(message.getAttachment()) + attachmentsSize(message.getInlineAttachment());
    return size;
  }

  private static long attachmentsSize(List<MailAttachment> attachments) {
    long size = 0;
    if (attachments != null) {
      for (MailAttachment a : attachments) {
        // A streamed attachment has no data buffer; its size is unknown, so count it as large.
        size += a.getData() != null ? a.getData().length() : a.getSize() > 0 ? a.getSize() : Integer.MAX_VALUE;
      }
    }
    return size;
  }

  private static long length(String s) {
    return s == null ? 0 : s.length();
  }

  /**
   * Each header address is reduced to its bare mailbox by vertx-mail-client's {@link EmailAddress} (which the
   * encoder also uses for the headers), then checked by {@link Addresses#validateMailbox} like any envelope address,
   * naming the header it came from.
   */
  static Envelope envelope(MailMessage message) {
    boolean bounce = message.getBounceAddress() != null;
    String sender = bounce ? message.getBounceAddress() : message.getFrom();
    if (sender == null) {
      throw invalid("the message has neither From nor a bounce address");
    }
    String from = mailbox(bounce ? "bounce address" : "From address", sender, false);
    List<String> recipients = new ArrayList<>();
    addAll(recipients, "To", message.getTo());
    addAll(recipients, "Cc", message.getCc());
    addAll(recipients, "Bcc", message.getBcc());
    return new Envelope(from, recipients);
  }

  private static void addAll(List<String> into, String header, List<String> addresses) {
    if (addresses != null) {
      for (String address : addresses) {
        into.add(mailbox(header + " address", address, true));
      }
    }
  }

  /**
   * The bare mailbox of a header value ({@code a@b}, {@code Name <a@b>} or {@code a@b (Name)}), checked. A value
   * that is already bare is checked before vertx-mail-client's parser sees it, so that its refusals read like every
   * other address's ({@code "is not of the form local@domain"}, not "cannot be parsed").
   */
  private static String mailbox(String field, String value, boolean recipient) {
    if (value == null || value.isEmpty()) {
      throw invalid(field + " is empty");
    }
    if (value.indexOf('<') < 0 && value.indexOf('(') < 0) {
      Addresses.validateMailbox(field, value, recipient);
    }
    String address;
    try {
      address = new EmailAddress(value).getEmail();
    } catch (IllegalArgumentException e) {
      // vertx-mail-client's parser, which its MIME encoder also uses for the headers, takes no whitespace in the
      // address itself, not even in a quoted local part; a raw message with an Envelope has no such limit.
      throw invalid(field + " is not an address the MIME encoder can take (a@b, Name <a@b> or a@b (Name), no "
        + "whitespace in the address, not even quoted; send a raw message with an Envelope for that): " + value);
    }
    Addresses.validateMailbox(field, address, recipient);
    return address;
  }

  private static void validate(MailMessage message) {
    checkValue("From", message.getFrom());
    checkValue("bounce address", message.getBounceAddress());
    checkValue("Subject", message.getSubject());
    checkAll("To", message.getTo());
    checkAll("Cc", message.getCc());
    checkAll("Bcc", message.getBcc());
    if (message.getHeaders() != null) {
      for (Map.Entry<String, String> header : message.getHeaders()) {
        checkName(header.getKey());
        checkValue(header.getKey(), header.getValue());
      }
    }
  }

  private static void checkAll(String field, List<String> values) {
    if (values != null) {
      values.forEach(v -> checkValue(field, v));
    }
  }

  private static void checkValue(String field, String value) {
    if (value == null) {
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        throw invalid("header " + field + " contains a " + (c == 0 ? "NUL" : c == '\r' ? "CR" : "LF") + " character");
      }
    }
  }

  /** RFC 5322 §2.2: a field name is printable US-ASCII except ':'. */
  private static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw invalid("a header name is empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 33 || c > 126 || c == ':') {
        throw invalid("header name '" + name.replaceAll("\\p{Cntrl}", "?") + "' has a character not allowed there");
      }
    }
  }

  private static SmtpException invalid(String message) {
    return new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT, message);
  }
}
