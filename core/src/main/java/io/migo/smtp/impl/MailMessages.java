package io.migo.smtp.impl;

import io.migo.smtp.DsnOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailAttachment;
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
    validate(message);
    Envelope envelope = envelope(message).withDsn(dsn);
    MailEncoder encoder = new MailEncoder(message, hostname);
    Buffer content = Buffer.buffer(encoder.encode().getBytes(StandardCharsets.UTF_8));
    return new OutgoingMessage(envelope, content, encoder.getMessageID());
  }

  /** A cheap estimate of the encoded size (text, HTML and attachment data), to decide where to encode. */
  static long estimatedSize(MailMessage message) {
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

  static Envelope envelope(MailMessage message) {
    try {
      return envelopeOf(message);
    } catch (IllegalArgumentException e) {
      // vertx-mail-client's EmailAddress refuses what it cannot parse; report it like any other bad input.
      throw invalid(e.getMessage());
    }
  }

  private static Envelope envelopeOf(MailMessage message) {
    String sender = message.getBounceAddress() != null ? message.getBounceAddress() : message.getFrom();
    if (sender == null) {
      throw invalid("the message has neither From nor a bounce address");
    }
    List<String> recipients = new ArrayList<>();
    addAll(recipients, message.getTo());
    addAll(recipients, message.getCc());
    addAll(recipients, message.getBcc());
    return new Envelope(new EmailAddress(sender).getEmail(), recipients);
  }

  private static void addAll(List<String> into, List<String> addresses) {
    if (addresses != null) {
      for (String address : addresses) {
        into.add(new EmailAddress(address).getEmail());
      }
    }
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
