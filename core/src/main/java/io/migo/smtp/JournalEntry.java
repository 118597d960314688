package io.migo.smtp;

/**
 * What a {@link BulkJournal} holds for one id, from an earlier run.
 *
 * @param id       the mail's correlation id
 * @param status   how it ended, or {@code null} when it was only started: it was in flight when that run stopped
 * @param code     the server's reply code of the outcome, 0 when there was none
 * @param enhanced the enhanced status code of the outcome (RFC 3463), or {@code null}
 * @param response the server's reply text or the error message, or {@code null}
 */
public record JournalEntry(String id, SendOutcome.Status status, int code, String enhanced, String response) {

  /** Started and never finished: the message may have been delivered. */
  public boolean inFlight() {
    return status == null;
  }
}
