package io.migo.smtp;

import io.migo.smtp.impl.protocol.Addresses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The SMTP envelope of one message: the reverse-path (MAIL FROM), the forward-paths (RCPT TO) and the delivery status
 * notifications asked for ({@link DsnOptions}, none by default) and whether the message requires TLS all the way
 * (REQUIRETLS, RFC 8689; off by default). Addresses are RFC 5321 mailboxes without angle
 * brackets: {@code local@domain}, {@code "quoted local"@domain} or {@code local@[192.0.2.1]}, UTF-8 allowed (it needs
 * a server that offers SMTPUTF8); the bare {@code postmaster} is accepted as a recipient. They are checked here, so
 * that a malformed address fails where it was written, not later on a send. Immutable.
 */
public final class Envelope {

  private final String sender;
  private final List<String> recipients;
  private final DsnOptions dsn;
  private final boolean requireTls;

  /**
   * @param sender     the reverse-path; {@code null} or empty for the null reverse-path {@code <>} (bounces)
   * @param recipients at least one recipient (an empty list is refused when the message is sent)
   * @throws SmtpException phase {@link SmtpPhase#INPUT}, reason {@link SmtpException.Reason#INVALID_INPUT}, when an
   *                       address is not a mailbox; the message names the field, the problem and the address
   */
  public Envelope(String sender, List<String> recipients) {
    this(checkedSender(sender), checkedRecipients(recipients), DsnOptions.none(), false);
  }

  private Envelope(String sender, List<String> recipients, DsnOptions dsn, boolean requireTls) {
    this.sender = sender == null ? "" : sender;
    this.recipients = List.copyOf(Objects.requireNonNull(recipients, "recipients"));
    this.dsn = Objects.requireNonNull(dsn, "dsn");
    this.requireTls = requireTls;
  }

  /** @see #Envelope(String, List) */
  public static Envelope of(String sender, String... recipients) {
    return new Envelope(sender, Arrays.asList(Objects.requireNonNull(recipients, "recipients")));
  }

  private static String checkedSender(String sender) {
    if (sender != null && !sender.isEmpty()) {
      Addresses.validateMailbox("sender", sender, false);
    }
    return sender;
  }

  /**
   * Checks a snapshot, so that what is kept is what was checked; and before {@code List.copyOf}, so that a null
   * recipient is refused like any other bad address, not with an NPE.
   */
  private static List<String> checkedRecipients(List<String> recipients) {
    List<String> snapshot = new ArrayList<>(Objects.requireNonNull(recipients, "recipients"));
    for (String recipient : snapshot) {
      Addresses.validateMailbox("recipient", recipient, true);
    }
    return snapshot;
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
    return new Envelope(sender, recipients, dsn, requireTls);
  }

  /**
   * A copy of this envelope that does or does not require TLS (RFC 8689 REQUIRETLS): when required, the message goes
   * only over a TLS session to a server that offers REQUIRETLS, with {@code MAIL FROM:<…> REQUIRETLS}, which asks
   * every later hop to relay it over verified TLS too or return it; over any other session it is refused before its
   * MAIL command, never sent without the requirement.
   */
  public Envelope withRequireTls(boolean requireTls) {
    return new Envelope(sender, recipients, dsn, requireTls);
  }

  /** Whether the message requires TLS all the way (REQUIRETLS); false unless set. */
  public boolean requireTls() {
    return requireTls;
  }

  /** The notifications asked for; {@link DsnOptions#none()} unless set. */
  public DsnOptions dsn() {
    return dsn;
  }

  @Override
  public String toString() {
    return "Envelope[from=<" + sender + ">, to=" + recipients + (dsn.isEmpty() ? "" : ", " + dsn)
      + (requireTls ? ", REQUIRETLS" : "") + "]";
  }
}
