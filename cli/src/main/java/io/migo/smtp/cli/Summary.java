package io.migo.smtp.cli;

import io.migo.smtp.RecipientRejection;
import io.migo.smtp.RecipientsRejectedException;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The tally of a {@code send} run and its two renderings: one JSON line for scripts, readable text for people.
 *
 * <p>Each message ends one of six ways. Five are the library's classification ({@link SendOutcome.Status}):
 * <em>delivered</em> (accepted for every recipient), <em>partially delivered</em> (accepted, but some recipients
 * refused), <em>rejected</em> (refused for good by the server), <em>failed</em> (nothing delivered, safe to retry) or
 * <em>unknown</em> (the connection was lost after the end of the data). The sixth is the CLI's own:
 * <em>invalid</em>, input the client refused before sending anything (a malformed address, a line over 998 octets),
 * which the library counts as rejected. Told apart here because the fix differs: an invalid message needs its input
 * corrected, not the relay asked again, and "rejected" would send an operator to the relay's logs for nothing.
 *
 * <p>Errors are kept de-duplicated by (phase, code, enhanced code, message, detail) with a count, in first-seen
 * order, and at most {@value #MAX_ERRORS} distinct ones: a run of 100,000 messages against a dead relay must print
 * one line, not 100,000. Recipients refused in a partially delivered message are errors too, in phase RCPT
 * (DATA_END for an LMTP recipient refused after the data).
 *
 * <p>In an error, {@code code} is -1 and {@code enhanced} is null when no server reply caused it (connection
 * refused, timeout, TLS), and {@code phase} is null for a failure that was not an {@link SmtpException}.
 * {@code message} is the server's text when a reply caused the error (what an operator searches logs for), else the
 * client's description; {@code detail} is the exception's whole message as the library wrote it (phase, what the
 * client was doing, the server's text, code and enhanced code, and any advice such as which option to try), and null
 * for a refused recipient, which has only the server's text. {@code msgs_per_sec} counts messages the server accepted
 * (delivered or partially delivered).
 *
 * <p>Not thread safe: {@link BulkRun} feeds it the outcomes of the client's {@code sendAll}, on the client's context.
 */
final class Summary {

  static final int MAX_ERRORS = 10;

  /**
   * What {@link #toJsonLine()} prints, for {@code --help}; {@code SummaryTest} checks that it names every field.
   * A constant so that picocli's annotations can use it.
   */
  static final String JSON_FIELDS_HELP = "With --json: one line with messages, delivered, partially_delivered, "
    + "rejected (refused by the server), invalid (refused by the client before sending: bad address, bad input), "
    + "failed (nothing delivered, safe to retry), unknown (the server may have it: do not resend blindly), seconds, "
    + "msgs_per_sec and errors (each with phase, code, enhanced, message, detail and count; code -1 and enhanced "
    + "null when no server reply caused it; message is the server's text, detail the client's whole error message).";

  /** One distinct error; the count is kept next to it in {@link #errors}. */
  record ErrorKey(String phase, int code, String enhanced, String message, String detail) {
  }

  private final int messages;
  private int delivered;
  private int partiallyDelivered;
  private int rejected;
  private int invalid;
  private int failed;
  private int unknown;
  private double seconds;
  private SendResult lastResult;
  private final Map<ErrorKey, Integer> errors = new LinkedHashMap<>();

  Summary(int messages) {
    this.messages = messages;
  }

  /** One message's outcome from the client's bulk send. */
  void record(SendOutcome outcome) {
    if (outcome.isDelivered()) {
      recordSuccess(outcome.result());
    } else {
      recordFailure(outcome.error());
    }
  }

  void recordSuccess(SendResult result) {
    lastResult = result;
    if (result.isPartial()) {
      partiallyDelivered++;
      result.rejectedRecipients().forEach(this::addRejection);
    } else {
      delivered++;
    }
  }

  void recordFailure(Throwable failure) {
    // The library's own classification (SendOutcome): rejected, failed (safe to retry) or unknown; of the rejected,
    // those the client refused itself are counted apart.
    SendOutcome.Status status = SendOutcome.statusOf(failure);
    if (status == SendOutcome.Status.REJECTED && isInvalidInput(failure)) {
      invalid++;
    } else {
      switch (status) {
        case REJECTED -> rejected++;
        case UNKNOWN -> unknown++;
        default -> failed++;
      }
    }
    if (failure instanceof RecipientsRejectedException refused) {
      // Every recipient's own reply says more than the summary line "every recipient was refused".
      refused.rejections().forEach(this::addRejection);
    } else if (failure instanceof SmtpException e) {
      addError(new ErrorKey(e.phase().name(), e.replyCode(), e.enhancedCode(), describe(e), e.getMessage()));
    } else {
      String message = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getName();
      addError(new ErrorKey(null, -1, null, message, null));
    }
  }

  /**
   * Input that the command refused itself before handing it to the client (a malformed line of {@code bulk}'s input):
   * invalid, with {@code reason} as an error of phase INPUT, as the client's own refusals are.
   */
  void recordInvalidInput(String reason) {
    invalid++;
    addError(new ErrorKey(SmtpPhase.INPUT.name(), -1, null, reason, null));
  }

  void finish(double seconds) {
    this.seconds = seconds;
  }

  boolean allDelivered() {
    return delivered == messages;
  }

  int messages() {
    return messages;
  }

  int delivered() {
    return delivered;
  }

  int partiallyDelivered() {
    return partiallyDelivered;
  }

  int rejected() {
    return rejected;
  }

  int invalid() {
    return invalid;
  }

  int unknown() {
    return unknown;
  }

  int failed() {
    return failed;
  }

  double seconds() {
    return seconds;
  }

  /** Accepted messages (delivered or partially) per second; 0 when the run took no measurable time. */
  double messagesPerSecond() {
    return seconds > 0 ? (delivered + partiallyDelivered) / seconds : 0;
  }

  /** Exactly one line, no trailing newline. */
  String toJsonLine() {
    return toJson().encode();
  }

  /** The fields of {@link #toJsonLine()}, in its order, for a command that adds its own. */
  JsonObject toJson() {
    JsonArray errorArray = new JsonArray();
    errors.forEach((key, count) -> errorArray.add(new JsonObject()
      .put("phase", key.phase())
      .put("code", key.code())
      .put("enhanced", key.enhanced())
      .put("message", key.message())
      .put("detail", key.detail())
      .put("count", count)));
    return new JsonObject()
      .put("messages", messages)
      .put("delivered", delivered)
      .put("partially_delivered", partiallyDelivered)
      .put("rejected", rejected)
      .put("invalid", invalid)
      .put("failed", failed)
      .put("unknown", unknown)
      .put("seconds", round(seconds, 1000))
      .put("msgs_per_sec", round(messagesPerSecond(), 100))
      .put("errors", errorArray);
  }

  /**
   * For example {@code sent 1/1 messages in 0.21 s (4.8 msgs/s): 1 delivered}; for a single message the server's
   * response and the Message-ID follow, then refused recipients and errors one per line.
   */
  String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "sent %d/%d messages in %.2f s (%.1f msgs/s): %s",
      delivered + partiallyDelivered, messages, seconds, messagesPerSecond(), outcomes())).append('\n');
    if (messages == 1 && lastResult != null) {
      sb.append("server response: ").append(lastResult.serverResponse()).append('\n');
      if (lastResult.messageId() != null) {
        sb.append("message-id: ").append(lastResult.messageId()).append('\n');
      }
      for (RecipientRejection r : lastResult.rejectedRecipients()) {
        sb.append("refused: ").append(r.address()).append('\n');
      }
    }
    return sb.append(errorsText()).toString();
  }

  /** "errors:" and one indented line per distinct error; empty when there was none. */
  String errorsText() {
    if (errors.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("errors:\n");
    errors.forEach((key, count) -> sb.append("  ").append(textLine(key, count)).append('\n'));
    return sb.toString();
  }

  /** How the messages ended, e.g. {@code 3 delivered, 1 rejected}: every count but the zeros after "delivered". */
  String outcomes() {
    StringBuilder sb = new StringBuilder().append(delivered).append(" delivered");
    if (partiallyDelivered > 0) {
      sb.append(", ").append(partiallyDelivered).append(" partially delivered");
    }
    if (rejected > 0) {
      sb.append(", ").append(rejected).append(" rejected");
    }
    if (invalid > 0) {
      sb.append(", ").append(invalid).append(" invalid (refused before sending: fix the input)");
    }
    if (failed > 0) {
      sb.append(", ").append(failed).append(" failed");
    }
    if (unknown > 0) {
      sb.append(", ").append(unknown).append(" unknown (the server may have them: do not resend blindly)");
    }
    return sb.toString();
  }

  /**
   * The library's whole message when there is one: it names the phase, says what the client was doing ("the server
   * refused the credentials with PLAIN"), quotes the server with its codes, and may end with advice ("use --tls
   * implicit"); the server's text alone would drop all of that. A refused recipient has only the server's words.
   */
  private static String textLine(ErrorKey key, int count) {
    StringBuilder sb = new StringBuilder();
    if (key.detail() != null) {
      sb.append(key.detail());
    } else {
      sb.append(key.phase() != null ? key.phase() : "ERROR");
      if (key.code() > 0) {
        sb.append(' ').append(key.code());
        if (key.enhanced() != null) {
          sb.append(' ').append(key.enhanced());
        }
      }
      sb.append(": ").append(key.message());
    }
    if (count > 1) {
      sb.append(" (x").append(count).append(')');
    }
    return sb.toString();
  }

  private void addRejection(RecipientRejection r) {
    addError(new ErrorKey(r.phase().name(), r.replyCode(), r.enhancedCode(), r.message(), null));
  }

  /** A known error counts again; a new one is kept only while there is room. */
  private void addError(ErrorKey key) {
    Integer count = errors.get(key);
    if (count != null) {
      errors.put(key, count + 1);
    } else if (errors.size() < MAX_ERRORS) {
      errors.put(key, 1);
    }
  }

  /**
   * Input the client refused before sending: the library's INVALID_INPUT (phase INPUT, or AUTH for credentials it
   * cannot encode). Any other failure is counted as the library classifies it: an exception that is not an
   * SmtpException says nothing about what was sent, so the CLI does not guess that it was the input.
   */
  static boolean isInvalidInput(Throwable failure) {
    return failure instanceof SmtpException e
      && (e.reason() == SmtpException.Reason.INVALID_INPUT || e.phase() == SmtpPhase.INPUT);
  }

  /**
   * The server's own words when a reply caused the failure (what an operator searches logs for), else the client's
   * description. Reply lines are joined as {@link RecipientRejection#message()} has them, without the enhanced code
   * that servers repeat at the start of each line (it has its own field), so that the same refusal reads the same
   * whether it came as a rejection or an exception. {@link SmtpException#getMessage()} starts with "PHASE: ", which
   * the phase field already says.
   */
  static String describe(SmtpException e) {
    if (!e.serverMessage().isBlank()) {
      return e.serverMessage().strip();
    }
    String message = e.getMessage();
    String prefix = e.phase().name() + ": ";
    return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  private static double round(double value, int scale) {
    return Math.round(value * scale) / (double) scale;
  }
}
