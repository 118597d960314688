package io.migo.smtp;

import java.util.List;

/**
 * The message was not sent because the server refused its recipients: all of them, or (when the client is set to
 * fail on any refused recipient) some of them; with LMTP, refusals after the data count too (every recipient refused
 * at RCPT or after the data). {@link #rejections()} has the server's reply for each.
 */
public class RecipientsRejectedException extends SmtpException {

  private final List<RecipientRejection> rejections;

  public RecipientsRejectedException(String message, List<RecipientRejection> rejections) {
    this(SmtpPhase.RCPT, message, rejections);
  }

  /**
   * Refusals reported in {@code phase}: {@link SmtpPhase#DATA_END} when some came after the data, as LMTP's
   * per-recipient replies do (RFC 2033 §4.2); the server holds the message for none of the recipients.
   */
  public RecipientsRejectedException(SmtpPhase phase, String message, List<RecipientRejection> rejections) {
    super(phase, Reason.REPLY, message, rejections.get(0).replyCode(), rejections.get(0).enhancedCode(),
      List.of(rejections.get(0).message()), null);
    this.rejections = List.copyOf(rejections);
  }

  public List<RecipientRejection> rejections() {
    return rejections;
  }

  /** Transient only when every refusal was transient (4xx): then the same message may be accepted later. */
  @Override
  public boolean isTransient() {
    return rejections.stream().allMatch(RecipientRejection::isTransient);
  }

  @Override
  public boolean isPermanent() {
    return !isTransient();
  }
}
