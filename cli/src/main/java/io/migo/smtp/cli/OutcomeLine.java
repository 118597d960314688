package io.migo.smtp.cli;

import io.migo.smtp.JournalEntry;
import io.migo.smtp.RecipientRejection;
import io.migo.smtp.RecipientsRejectedException;
import io.migo.smtp.RecipientsUnknownException;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of {@code bulk --outcomes}: what became of one input line, as JSON.
 * <pre>
 * {"id":"42","status":"DELIVERED","code":250,"enhanced":"2.0.0","response":"Ok: queued as 4Xk9","rejected":[],
 *  "attempts":1,"deferrals":0}
 * </pre>
 * Every line has these fields. {@code status} is the library's ({@link SendOutcome.Status}) or {@code INVALID}: a
 * line the command could not read as a message, or a message the client refused before sending (as {@code send}'s
 * summary counts it); an INVALID line adds {@code line} (its number, from 1) and {@code reason}. {@code code} is the
 * server's reply code, -1 when no reply caused the outcome, and {@code enhanced} its RFC 3463 code or null;
 * {@code response} is the server's text without the enhanced code, or the client's description of a failure without
 * a reply. {@code rejected} lists the recipients the server refused ({@code address}, {@code code},
 * {@code enhanced}, {@code text}). A SKIPPED line (already ended in an earlier run with the same journal) carries
 * the journaled code, enhanced code and response and adds {@code previous}, the journaled status; an UNKNOWN line
 * that an earlier run left in flight adds {@code "previous":"IN_FLIGHT"}. An LMTP message whose connection failed
 * between its per-recipient replies (UNKNOWN, {@link RecipientsUnknownException}) adds {@code delivered} and
 * {@code unknown}, the recipients the server answered for and those it did not.
 */
final class OutcomeLine {

  /** Help text naming every field, for {@code bulk --help}; {@code BulkCommandTest} checks it names them all. */
  static final String FIELDS_HELP = "With --outcomes: one JSON line per input line with id, status (DELIVERED, "
    + "PARTIALLY_DELIVERED, REJECTED, FAILED, UNKNOWN, INVALID or SKIPPED), code (-1 without a server reply), "
    + "enhanced, response, rejected (each with address, code, enhanced and text), attempts and deferrals; INVALID adds "
    + "line and reason, SKIPPED adds previous (the status an earlier run journaled), an UNKNOWN that an earlier run "
    + "left in flight adds previous IN_FLIGHT; an LMTP UNKNOWN whose connection failed between the per-recipient "
    + "replies adds delivered and unknown (the recipients on either side).";

  /**
   * The only positive completion reply to the end of a message's data (RFC 5321 section 4.3.2): a delivered message
   * was answered with it, which {@link SendResult} does not repeat.
   */
  static final int ACCEPTED = 250;

  private static final Pattern ENHANCED_PREFIX = Pattern.compile("([245]\\.\\d{1,3}\\.\\d{1,3}) (.*)", Pattern.DOTALL);

  static final String INVALID = "INVALID";
  static final String IN_FLIGHT = "IN_FLIGHT";

  private OutcomeLine() {
  }

  /** A line the command refused to send. */
  static JsonObject invalid(InputParser.Invalid line) {
    return invalid(line.id(), line.line(), line.reason());
  }

  /** What the library reported for one mail. */
  static JsonObject of(SendOutcome outcome) {
    SmtpException error = outcome.error();
    String id = String.valueOf(outcome.mail().correlationId());
    if (outcome.status() == SendOutcome.Status.REJECTED && Summary.isInvalidInput(error)) {
      long line = outcome.mail().correlationId() instanceof LineId lineId ? lineId.line() : -1;
      return invalid(id, line, Summary.describe(error));
    }
    JsonObject json = new JsonObject().put("id", id).put("status", outcome.status().name());
    if (outcome.status() == SendOutcome.Status.SKIPPED) {
      JournalEntry entry = outcome.journaled();
      reply(json, entry.code() > 0 ? entry.code() : -1, entry.enhanced(), entry.response());
      rejected(json, List.of());
    } else if (outcome.result() != null) {
      accepted(json, outcome.result());
    } else {
      failed(json, error);
    }
    json.put("attempts", outcome.attempts()).put("deferrals", outcome.deferrals());
    JournalEntry entry = outcome.journaled();
    if (entry != null) {
      json.put("previous", entry.inFlight() ? IN_FLIGHT : entry.status().name());
    }
    return json;
  }

  private static JsonObject invalid(String id, long line, String reason) {
    JsonObject json = new JsonObject().put("id", id).put("status", INVALID);
    reply(json, -1, null, null);
    return rejected(json, List.of())
      .put("attempts", 0)
      .put("deferrals", 0)
      .put("line", line)
      .put("reason", reason);
  }

  /** The server's final reply, its enhanced code (when it gave one) split off the text. */
  private static void accepted(JsonObject json, SendResult result) {
    Matcher m = ENHANCED_PREFIX.matcher(result.serverResponse() == null ? "" : result.serverResponse());
    if (m.matches()) {
      reply(json, ACCEPTED, m.group(1), m.group(2));
    } else {
      reply(json, ACCEPTED, null, result.serverResponse());
    }
    rejected(json, result.rejectedRecipients());
  }

  private static void failed(JsonObject json, SmtpException error) {
    reply(json, error.replyCode(), error.enhancedCode(), Summary.describe(error));
    if (error instanceof RecipientsUnknownException unknown) {
      // LMTP: the connection failed between the per-recipient replies; each recipient's fate as far as it is known.
      rejected(json, unknown.rejections());
      json.put("delivered", new JsonArray(List.copyOf(unknown.deliveredRecipients())))
        .put("unknown", new JsonArray(List.copyOf(unknown.unknownRecipients())));
      return;
    }
    rejected(json, error instanceof RecipientsRejectedException refused ? refused.rejections() : List.of());
  }

  private static void reply(JsonObject json, int code, String enhanced, String response) {
    json.put("code", code).put("enhanced", enhanced).put("response", response);
  }

  private static JsonObject rejected(JsonObject json, List<RecipientRejection> rejections) {
    JsonArray array = new JsonArray();
    for (RecipientRejection r : rejections) {
      array.add(new JsonObject()
        .put("address", r.address())
        .put("code", r.replyCode())
        .put("enhanced", r.enhancedCode())
        .put("text", r.message()));
    }
    return json.put("rejected", array);
  }
}
