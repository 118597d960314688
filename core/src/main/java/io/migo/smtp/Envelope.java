package io.migo.smtp;

import java.util.List;
import java.util.Objects;

/**
 * The SMTP envelope of one message: the reverse-path (MAIL FROM), the forward-paths (RCPT TO) and the delivery status
 * notifications asked for ({@link DsnOptions}, none by default). Addresses are plain {@code local@domain} mailboxes,
 * without angle brackets; they are validated when the message is sent. Immutable.
 */
public final class Envelope {

  private final String sender;
  private final List<String> recipients;
  private final DsnOptions dsn;

  /**
   * @param sender     the reverse-path; {@code null} or empty for the null reverse-path {@code <>} (bounces)
   * @param recipients at least one recipient
   */
  public Envelope(String sender, List<String> recipients) {
    this(sender, recipients, DsnOptions.none());
  }

  private Envelope(String sender, List<String> recipients, DsnOptions dsn) {
    this.sender = sender == null ? "" : sender;
    this.recipients = List.copyOf(Objects.requireNonNull(recipients, "recipients"));
    this.dsn = Objects.requireNonNull(dsn, "dsn");
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

  /** A copy of this envelope asking for these delivery status notifications. */
  public Envelope withDsn(DsnOptions dsn) {
    return new Envelope(sender, recipients, dsn);
  }

  /** The notifications asked for; {@link DsnOptions#none()} unless set. */
  public DsnOptions dsn() {
    return dsn;
  }

  @Override
  public String toString() {
    return "Envelope[from=<" + sender + ">, to=" + recipients + (dsn.isEmpty() ? "" : ", " + dsn) + "]";
  }
}
