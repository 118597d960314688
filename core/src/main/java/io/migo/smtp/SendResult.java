package io.migo.smtp;

import java.util.List;

/**
 * What happened to a message the server accepted: accepted for at least one recipient. When some recipients were
 * refused and the client is not set to fail the whole message, they are listed in {@link #rejectedRecipients()}.
 *
 * @param messageId          the Message-ID header value when known (always for MailMessage sends), else {@code null}
 * @param serverResponse     the server's final reply text, e.g. {@code 2.0.0 Ok: queued as 4Xk9} (holds the queue id)
 * @param acceptedRecipients recipients the server accepted, in the order given
 * @param rejectedRecipients recipients the server refused, with their replies
 */
public record SendResult(String messageId, String serverResponse, List<String> acceptedRecipients,
                         List<RecipientRejection> rejectedRecipients) {

  public SendResult {
    acceptedRecipients = List.copyOf(acceptedRecipients);
    rejectedRecipients = List.copyOf(rejectedRecipients);
  }

  /** Accepted for some recipients but not all. */
  public boolean isPartial() {
    return !rejectedRecipients.isEmpty();
  }
}
