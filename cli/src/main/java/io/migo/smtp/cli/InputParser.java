package io.migo.smtp.cli;

import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.migo.smtp.SmtpException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailMessage;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one line of {@code bulk}'s JSON Lines input into a {@link Mail}, or into the reason it cannot be sent. A line
 * is one of two forms:
 * <ul>
 *   <li>{@code {"id":"42","from":"a@x.test","to":["b@y.test"],"cc":[],"bcc":[],"subject":"…","text":"…",
 *   "html":"…","headers":{"X-Campaign":"c1"},"attachments":[{"path":"f.pdf","contentType":"application/pdf"}]}}:
 *   a message the client MIME-encodes ({@link Mail#of});</li>
 *   <li>{@code {"id":"43","from":"a@x.test","to":["b@y.test"],"eml":"m.eml"}}: a ready RFC 5322 file sent as it is,
 *   with this envelope ({@link Mail#raw}).</li>
 * </ul>
 * {@code id}, {@code from} and at least one recipient (to, cc or bcc; a single address may be a string) are required;
 * relative paths resolve against the input's directory. A field the form does not know is refused rather than
 * ignored: a misspelt {@code "atachments"} must not send a message without its attachment.
 *
 * <p>Addresses are checked by the library's own {@link Envelope} (bare mailboxes, {@code local@domain}), so a line
 * is refused here for exactly what a send would refuse, but with its line number. Ids must be unique within the
 * input: the parser keeps every id it has seen (and the line of its first use), the only thing it keeps per line.
 *
 * <p>Not thread safe: one reader calls it, line after line.
 */
final class InputParser {

  /** What a line became. */
  sealed interface Parsed permits Message, Invalid {
  }

  /** A mail to send, its correlation id the line's {@link LineId}. */
  record Message(LineId id, Mail mail) implements Parsed {
  }

  /**
   * A line that cannot be sent.
   *
   * @param id the line's id when it has a readable one (a repeated id included), else {@code null}
   */
  record Invalid(long line, String id, String reason) implements Parsed {
  }

  private static final Set<String> COMMON_FIELDS = Set.of("id", "from", "to", "cc", "bcc");
  private static final Set<String> MESSAGE_FIELDS = Set.of("subject", "text", "html", "headers", "attachments");
  private static final Set<String> ATTACHMENT_FIELDS = Set.of("path", "contentType", "name");
  static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  private final Path baseDirectory;
  private final Map<String, Long> firstLineOfId = new HashMap<>();

  /** @param baseDirectory what relative {@code eml} and attachment paths are resolved against */
  InputParser(Path baseDirectory) {
    this.baseDirectory = baseDirectory;
  }

  /** The mail on line {@code number}, or why it cannot be sent; {@code null} for a blank line, which is no message. */
  Parsed parse(long number, String line) {
    if (line.isBlank()) {
      return null;
    }
    if (!line.strip().startsWith("{")) {
      return new Invalid(number, null, "not a JSON object: a line must be one {...}");
    }
    JsonObject json;
    try {
      json = new JsonObject(line);
    } catch (DecodeException e) {
      return new Invalid(number, null, "not a JSON object: " + firstLine(e.getMessage()));
    }
    String id;
    try {
      id = id(json);
    } catch (Refusal r) {
      return new Invalid(number, null, r.getMessage());
    }
    Long first = firstLineOfId.putIfAbsent(id, number);
    if (first != null) {
      return new Invalid(number, id, "id " + id + " was already used on line " + first);
    }
    try {
      LineId lineId = new LineId(id, number);
      return new Message(lineId, mail(json).withCorrelationId(lineId));
    } catch (Refusal r) {
      return new Invalid(number, id, r.getMessage());
    }
  }

  private static String id(JsonObject json) {
    Object id = json.getValue("id");
    if (id == null) {
      throw new Refusal("no id");
    }
    if (!(id instanceof String s) || s.isEmpty()) {
      throw new Refusal("id must be a non-empty string");
    }
    return s;
  }

  private Mail mail(JsonObject json) {
    boolean raw = json.containsKey("eml");
    for (String field : json.fieldNames()) {
      boolean known = COMMON_FIELDS.contains(field) || (raw ? field.equals("eml") : MESSAGE_FIELDS.contains(field));
      if (!known) {
        throw new Refusal(raw && MESSAGE_FIELDS.contains(field)
          ? field + " cannot be combined with eml: the file carries its own headers and body"
          : "unknown field '" + field + "'");
      }
    }
    String from = string(json, "from");
    if (from == null || from.isEmpty()) {
      throw new Refusal("no from");
    }
    List<String> to = addresses(json, "to");
    List<String> cc = addresses(json, "cc");
    List<String> bcc = addresses(json, "bcc");
    List<String> recipients = new ArrayList<>(to);
    recipients.addAll(cc);
    recipients.addAll(bcc);
    if (recipients.isEmpty()) {
      throw new Refusal("no recipients: to, cc and bcc are all empty");
    }
    Envelope envelope = envelope(from, recipients);
    return raw ? Mail.raw(envelope, Buffer.buffer(read("eml", string(json, "eml"))))
      : Mail.of(message(json, from, to, cc, bcc));
  }

  /** The library's own check of every address; its refusal names the field and the address. */
  private static Envelope envelope(String from, List<String> recipients) {
    try {
      return new Envelope(from, recipients);
    } catch (SmtpException e) {
      throw new Refusal(Summary.describe(e));
    }
  }

  private MailMessage message(JsonObject json, String from, List<String> to, List<String> cc, List<String> bcc) {
    MailMessage message = new MailMessage().setFrom(from);
    // Only what is there: vertx-mail-client writes a header for an empty list too.
    if (!to.isEmpty()) {
      message.setTo(to);
    }
    if (!cc.isEmpty()) {
      message.setCc(cc);
    }
    if (!bcc.isEmpty()) {
      message.setBcc(bcc);
    }
    message.setSubject(string(json, "subject"));
    message.setText(string(json, "text"));
    message.setHtml(string(json, "html"));
    MultiMap headers = headers(json);
    if (!headers.isEmpty()) {
      message.setHeaders(headers);
    }
    List<MailAttachment> attachments = attachments(json);
    if (!attachments.isEmpty()) {
      message.setAttachment(attachments);
    }
    return message;
  }

  /** {@code "headers":{"X-A":"1","X-B":["2","3"]}}: a name with an array of values is repeated. */
  private static MultiMap headers(JsonObject json) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    Object value = json.getValue("headers");
    if (value == null) {
      return headers;
    }
    if (!(value instanceof JsonObject object)) {
      throw new Refusal("headers must be an object of names and values");
    }
    for (Map.Entry<String, Object> header : object) {
      if (header.getValue() instanceof String s) {
        headers.add(header.getKey(), s);
      } else if (header.getValue() instanceof JsonArray values && values.stream().allMatch(String.class::isInstance)) {
        values.forEach(v -> headers.add(header.getKey(), (String) v));
      } else {
        throw new Refusal("header " + header.getKey() + " must be a string or an array of strings");
      }
    }
    return headers;
  }

  private List<MailAttachment> attachments(JsonObject json) {
    Object value = json.getValue("attachments");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new Refusal("attachments must be an array");
    }
    List<MailAttachment> attachments = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof JsonObject attachment)) {
        throw new Refusal("each attachment must be an object with a path");
      }
      for (String field : attachment.fieldNames()) {
        if (!ATTACHMENT_FIELDS.contains(field)) {
          throw new Refusal("unknown attachment field '" + field + "'");
        }
      }
      String path = string(attachment, "path");
      String contentType = string(attachment, "contentType");
      String name = string(attachment, "name");
      byte[] data = read("attachment", path);
      attachments.add(MailAttachment.create()
        .setData(Buffer.buffer(data))
        .setContentType(contentType != null ? contentType : DEFAULT_CONTENT_TYPE)
        .setName(name != null ? name : Path.of(path).getFileName().toString()));
    }
    return attachments;
  }

  /** {@code field} as a list of addresses: absent is empty, a string is one address, else an array of strings. */
  private static List<String> addresses(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return List.of();
    }
    if (value instanceof String s) {
      return List.of(s);
    }
    if (value instanceof JsonArray array && array.stream().allMatch(String.class::isInstance)) {
      List<String> addresses = new ArrayList<>(array.size());
      array.forEach(a -> addresses.add((String) a));
      return addresses;
    }
    throw new Refusal(field + " must be an address or an array of addresses");
  }

  private static String string(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw new Refusal(field + " must be a string");
    }
    return (String) value;
  }

  /** The bytes of a file the line names; the reason names the field and the path as written. */
  private byte[] read(String field, String path) {
    if (path == null || path.isEmpty()) {
      throw new Refusal(field + " needs a path");
    }
    try {
      return Files.readAllBytes(baseDirectory.resolve(path));
    } catch (NoSuchFileException e) {
      throw new Refusal(field + ": no such file: " + path);
    } catch (AccessDeniedException e) {
      throw new Refusal(field + ": permission denied: " + path);
    } catch (IOException e) {
      throw new Refusal(field + ": cannot read " + path + ": " + e.getMessage());
    }
  }

  /** Jackson's messages go on for lines (the source, a location); the first says what is wrong. */
  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    String first = message.lines().findFirst().orElse(message).strip();
    return first.startsWith("Failed to decode:") ? first.substring("Failed to decode:".length()).strip() : first;
  }

  /** Why a line cannot be sent; a control-flow exception of this class only, without a stack trace. */
  private static final class Refusal extends RuntimeException {
    Refusal(String reason) {
      super(reason, null, false, false);
    }
  }
}
