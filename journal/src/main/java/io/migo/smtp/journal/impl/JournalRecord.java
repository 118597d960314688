package io.migo.smtp.journal.impl;

import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;

import java.util.regex.Pattern;

/**
 * One row to write: a start ({@code status} null: in flight) or an outcome. The one place that decides what of a
 * {@link SendOutcome} the journal keeps.
 *
 * @param code     the reply code of the outcome; 250 for an accepted message (the client keeps the text of the final
 *                 reply, not its code), 0 when there was no reply
 * @param response the server's final reply text for an accepted message, else the error's message
 */
public record JournalRecord(String id, SendOutcome.Status status, int code, String enhanced, String response,
                            int attempts, int deferrals) {

  /** An RFC 3463 code at the start of a reply text: "2.0.0 Ok: queued as ...". */
  private static final Pattern ENHANCED = Pattern.compile("^[245]\\.\\d{1,3}\\.\\d{1,3}(?= |$)");

  public static JournalRecord started(String id) {
    return new JournalRecord(id, null, 0, null, null, 0, 0);
  }

  public static JournalRecord finished(String id, SendOutcome outcome) {
    SendResult result = outcome.result();
    SmtpException error = outcome.error();
    int code = 0;
    String enhanced = null;
    String response = null;
    if (result != null) {
      code = 250;
      response = result.serverResponse();
      var m = response == null ? null : ENHANCED.matcher(response);
      enhanced = m != null && m.find() ? m.group() : null;
    } else if (error != null) {
      code = Math.max(0, error.replyCode());
      enhanced = error.enhancedCode();
      response = error.getMessage();
    } else if (outcome.journaled() != null) {
      // SKIPPED: what the earlier run recorded stays what is known.
      code = outcome.journaled().code();
      enhanced = outcome.journaled().enhanced();
      response = outcome.journaled().response();
    }
    return new JournalRecord(id, outcome.status(), code, enhanced, response, outcome.attempts(), outcome.deferrals());
  }

  public boolean isStart() {
    return status == null;
  }
}
