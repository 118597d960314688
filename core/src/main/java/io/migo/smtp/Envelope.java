package io.migo.smtp;

import java.util.List;
import java.util.Objects;

/**
 * The SMTP envelope of one message: the reverse-path (MAIL FROM) and the forward-paths (RCPT TO). Addresses are
 * plain {@code local@domain} mailboxes, without angle brackets; they are validated when the message is sent.
 */
public final class Envelope {

  private final String sender;
  private final List<String> recipients;

  /**
   * @param sender     the reverse-path; {@code null} or empty for the null reverse-path {@code <>} (bounces)
   * @param recipients at least one recipient
   */
  public Envelope(String sender, List<String> recipients) {
    this.sender = sender == null ? "" : sender;
    this.recipients = List.copyOf(Objects.requireNonNull(recipients, "recipients"));
  }

  public static Envelope of(String sender, String... recipients) {
    return new Envelope(sender, List.of(recipients));
  }

  /** The reverse-path; empty for {@code <>}. */
  public String sender() {
    return sender;
  }

  public List<String> recipients() {
    return recipients;
  }

  @Override
  public String toString() {
    return "Envelope[from=<" + sender + ">, to=" + recipients + "]";
  }
}
