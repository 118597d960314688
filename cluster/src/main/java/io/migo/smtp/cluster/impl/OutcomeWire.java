package io.migo.smtp.cluster.impl;

import io.migo.smtp.Mail;
import io.migo.smtp.RecipientRejection;
import io.migo.smtp.RecipientsRejectedException;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SendOutcome} without its mail, as JSON, and back: status, result, error (phase, reason, delivery, reply),
 * tries. The producer puts its own {@link Mail} back, so the caller's correlation id never travels as an object.
 */
public final class OutcomeWire {

  private OutcomeWire() {
  }

  public static JsonObject toJson(SendOutcome outcome) {
    JsonObject json = new JsonObject().put("status", outcome.status().name())
      .put("attempts", outcome.attempts()).put("deferrals", outcome.deferrals());
    SendResult result = outcome.result();
    if (result != null) {
      json.put("result", new JsonObject().put("messageId", result.messageId())
        .put("response", result.serverResponse())
        .put("accepted", new JsonArray(new ArrayList<>(result.acceptedRecipients())))
        .put("rejected", rejections(result.rejectedRecipients())));
    }
    if (outcome.error() != null) {
      json.put("error", errorJson(outcome.error()));
    }
    return json;
  }

  /** A request the worker could not even read: REJECTED, never tried. */
  public static JsonObject refused(SmtpException error) {
    return new JsonObject().put("status", Status.REJECTED.name()).put("attempts", 0).put("deferrals", 0)
      .put("error", errorJson(error));
  }

  private static JsonObject errorJson(SmtpException error) {
    {
      JsonObject e = new JsonObject().put("phase", error.phase().name()).put("reason", error.reason().name())
        .put("delivery", error.delivery().name()).put("text", ownText(error)).put("code", error.replyCode())
        .put("enhanced", error.enhancedCode()).put("lines", new JsonArray(new ArrayList<>(error.serverLines())));
      if (error instanceof RecipientsRejectedException refused) {
        e.put("rejections", rejections(refused.rejections()));
      }
      return e;
    }
  }

  public static SendOutcome fromJson(Mail mail, JsonObject json) {
    Status status = Status.valueOf(json.getString("status"));
    JsonObject r = json.getJsonObject("result");
    SendResult result = r == null ? null : new SendResult(r.getString("messageId"), r.getString("response"),
      strings(r.getJsonArray("accepted")), rejections(r.getJsonArray("rejected")));
    JsonObject e = json.getJsonObject("error");
    SmtpException error = e == null ? null : error(e);
    return new SendOutcome(mail, status, result, error, json.getInteger("attempts"), json.getInteger("deferrals"),
      null);
  }

  private static SmtpException error(JsonObject e) {
    if (e.containsKey("rejections")) {
      return new RecipientsRejectedException(e.getString("text"), rejections(e.getJsonArray("rejections")));
    }
    return new SmtpException(SmtpPhase.valueOf(e.getString("phase")), SmtpException.Reason.valueOf(e.getString("reason")),
      SmtpException.Delivery.valueOf(e.getString("delivery")), e.getString("text"), e.getInteger("code"),
      e.getString("enhanced"), strings(e.getJsonArray("lines")), null);
  }

  /**
   * The message as it was made, without what the exception's constructor adds around it (the phase in front, the
   * reply code behind), so that the producer's copy reads exactly like the worker's.
   */
  static String ownText(SmtpException error) {
    String text = error.getMessage();
    String prefix = error.phase().name() + ": ";
    if (text.startsWith(prefix)) {
      text = text.substring(prefix.length());
    }
    if (error.replyCode() > 0) {
      String suffix = " [" + error.replyCode() + (error.enhancedCode() != null ? " " + error.enhancedCode() : "") + "]";
      if (text.endsWith(suffix)) {
        text = text.substring(0, text.length() - suffix.length());
      }
    }
    return text;
  }

  private static JsonArray rejections(List<RecipientRejection> rejections) {
    JsonArray array = new JsonArray();
    for (RecipientRejection r : rejections) {
      array.add(new JsonObject().put("address", r.address()).put("code", r.replyCode())
        .put("enhanced", r.enhancedCode()).put("message", r.message()));
    }
    return array;
  }

  private static List<RecipientRejection> rejections(JsonArray array) {
    List<RecipientRejection> list = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonObject r = array.getJsonObject(i);
      list.add(new RecipientRejection(r.getString("address"), r.getInteger("code"), r.getString("enhanced"),
        r.getString("message")));
    }
    return list;
  }

  private static List<String> strings(JsonArray array) {
    List<String> list = new ArrayList<>();
    array.forEach(s -> list.add((String) s));
    return list;
  }
}
