package io.migo.smtp;

import java.util.List;

/**
 * LMTP only (RFC 2033 §4.2): the whole message went out, and the connection failed (lost, timed out, garbled) after the
 * server had answered for some of the recipients and before it answered for the others. The server may have delivered
 * it to those left unanswered, so the outcome is {@link SendOutcome.Status#UNKNOWN} and the client does not send the
 * message again; what the server did say is kept here, recipient by recipient.
 */
public class RecipientsUnknownException extends SmtpException {

  private final List<String> deliveredRecipients;
  private final List<RecipientRejection> rejections;
  private final List<String> unknownRecipients;

  /**
   * @param cause               why the remaining replies never came
   * @param deliveredRecipients those the server said it delivered to, before the failure
   * @param rejections          those it refused (at RCPT, or after the data before the failure)
   * @param unknownRecipients   those accepted at RCPT whose reply after the data never came
   */
  public RecipientsUnknownException(String message, SmtpException cause, List<String> deliveredRecipients,
                                    List<RecipientRejection> rejections, List<String> unknownRecipients) {
    super(SmtpPhase.DATA_END, cause.reason(), Delivery.MAYBE_DELIVERED, message, -1, null, List.of(), cause);
    this.deliveredRecipients = List.copyOf(deliveredRecipients);
    this.rejections = List.copyOf(rejections);
    this.unknownRecipients = List.copyOf(unknownRecipients);
  }

  /** The recipients the server said it delivered the message to. */
  public List<String> deliveredRecipients() {
    return deliveredRecipients;
  }

  /** The recipients the server refused, with its replies. */
  public List<RecipientRejection> rejections() {
    return rejections;
  }

  /** The recipients whose verdict never came: the message may or may not be in their mailboxes. */
  public List<String> unknownRecipients() {
    return unknownRecipients;
  }
}
