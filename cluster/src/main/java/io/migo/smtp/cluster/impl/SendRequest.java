package io.migo.smtp.cluster.impl;

import io.migo.smtp.DsnOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * One message on its way from a producer to a worker: the producer's request id, the address its reports go to, the
 * caller's correlation id (as text, for the worker's logs) and the mail itself, as an envelope and raw content or as
 * a MailMessage's JSON. Travels with {@link SendRequestCodec}.
 *
 * @param header what is not content: id, reply address, correlation, envelope or MailMessage, DSN, REQUIRETLS
 * @param content the raw content, {@code null} for the MailMessage form
 */
public record SendRequest(JsonObject header, Buffer content) {

  public static SendRequest of(long id, String replyTo, Mail mail) {
    JsonObject header = new JsonObject().put("id", id).put("replyTo", replyTo)
      .put("correlation", mail.correlationId() == null ? null : mail.correlationId().toString())
      .put("requireTls", mail.requireTls())
      .put("dsn", dsn(mail.dsn()));
    if (mail.isRaw()) {
      header.put("sender", mail.envelope().sender())
        .put("recipients", new JsonArray(new ArrayList<>(mail.envelope().recipients())));
      return new SendRequest(header, mail.content());
    }
    header.put("message", mail.message().toJson());
    return new SendRequest(header, null);
  }

  public long id() {
    return header.getLong("id");
  }

  public String replyTo() {
    return header.getString("replyTo");
  }

  /** The bytes this request puts on the wire, near enough: what the size limit is checked against. */
  public long size() {
    return (content == null ? 0 : content.length()) + header.encode().length();
  }

  /** The mail again, as the worker sends it; its correlation id is this request, so the reports find their way. */
  public Mail toMail() {
    DsnOptions dsn = dsn(header.getJsonObject("dsn"));
    boolean requireTls = header.getBoolean("requireTls", false);
    Mail mail;
    if (content != null) {
      List<String> recipients = new ArrayList<>();
      header.getJsonArray("recipients").forEach(r -> recipients.add((String) r));
      mail = Mail.raw(new Envelope(header.getString("sender"), recipients), content);
    } else {
      mail = Mail.of(new MailMessage(header.getJsonObject("message")));
    }
    if (!dsn.isEmpty()) {
      mail = mail.withDsn(dsn);
    }
    return mail.withRequireTls(requireTls).withCorrelationId(this);
  }

  private static JsonObject dsn(DsnOptions dsn) {
    if (dsn.isEmpty()) {
      return null;
    }
    JsonObject json = new JsonObject();
    dsn.notifyOn().ifPresent(set -> json.put("notify", new JsonArray(set.stream().map(Enum::name).toList())));
    dsn.returnContent().ifPresent(r -> json.put("ret", r.name()));
    dsn.envelopeId().ifPresent(id -> json.put("envid", id));
    return json.put("orcpt", dsn.originalRecipients());
  }

  private static DsnOptions dsn(JsonObject json) {
    DsnOptions dsn = DsnOptions.none();
    if (json == null) {
      return dsn;
    }
    JsonArray notify = json.getJsonArray("notify");
    if (notify != null) {
      List<DsnOptions.Notify> on = new ArrayList<>();
      notify.forEach(n -> on.add(DsnOptions.Notify.valueOf((String) n)));
      dsn = on.isEmpty() ? dsn.withNotifyNever()
        : dsn.withNotify(on.get(0), on.subList(1, on.size()).toArray(DsnOptions.Notify[]::new));
    }
    String ret = json.getString("ret");
    if (ret != null) {
      dsn = dsn.withReturn(DsnOptions.Return.valueOf(ret));
    }
    String envid = json.getString("envid");
    if (envid != null) {
      dsn = dsn.withEnvelopeId(envid);
    }
    return dsn.withOriginalRecipients(json.getBoolean("orcpt", false));
  }

  @Override
  public String toString() {
    return "SendRequest[" + id() + (header.getString("correlation") == null ? "" : ", " + header.getString("correlation")) + "]";
  }
}
