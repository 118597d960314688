package io.migo.smtp;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The delivery status notifications (RFC 3461) one message asks the relay for: on which events a recipient's
 * report is sent ({@code NOTIFY}), how much of the message a failure report returns ({@code RET}), an id of the
 * sender's that every report quotes back ({@code ENVID}), and whether each recipient's address travels along as its
 * original recipient ({@code ORCPT}), so that a report names the address the sender used even after forwarding.
 * Bulk senders use them to match bounces to their records ({@code ENVID}, {@code ORCPT}) and to keep reports small
 * ({@code RET=HDRS}) or off ({@code NOTIFY=NEVER}).
 *
 * <p>Sent only to a server that offers DSN: RFC 3461 forbids the parameters otherwise, and the message then goes
 * without them, as with Jakarta Mail and Nodemailer. {@code ORCPT} is sent for ASCII addresses only (the
 * {@code rfc822} address type). The envelope id is checked when the message is sent: printable ASCII, at most 100
 * characters once encoded as xtext. Immutable: each {@code with...} method returns a copy.
 */
public final class DsnOptions {

  /** The events a recipient's report is asked for. */
  public enum Notify {
    SUCCESS, FAILURE, DELAY
  }

  /** How much of the message a failure report returns. */
  public enum Return {
    /** The whole message ({@code RET=FULL}). */
    FULL,
    /** Its header only ({@code RET=HDRS}): what bulk senders usually want. */
    HEADERS
  }

  private static final DsnOptions NONE = new DsnOptions(null, null, null, false);

  /** {@code null}: not asked (the server's default, failures and delays); empty: {@code NEVER}. */
  private final Set<Notify> notify;
  private final Return returnContent;
  private final String envelopeId;
  private final boolean originalRecipients;

  private DsnOptions(Set<Notify> notify, Return returnContent, String envelopeId, boolean originalRecipients) {
    this.notify = notify;
    this.returnContent = returnContent;
    this.envelopeId = envelopeId;
    this.originalRecipients = originalRecipients;
  }

  /** Nothing asked: the server's defaults. */
  public static DsnOptions none() {
    return NONE;
  }

  /** Reports on these events ({@code NOTIFY=SUCCESS,FAILURE,DELAY} or a part of it). */
  public DsnOptions withNotify(Notify first, Notify... more) {
    EnumSet<Notify> events = EnumSet.of(Objects.requireNonNull(first, "first"), more);
    return new DsnOptions(Collections.unmodifiableSet(events), returnContent, envelopeId, originalRecipients);
  }

  /** No report at all, not even for a failure ({@code NOTIFY=NEVER}). */
  public DsnOptions withNotifyNever() {
    return new DsnOptions(Set.of(), returnContent, envelopeId, originalRecipients);
  }

  /** {@code RET=FULL} or {@code RET=HDRS}; {@code null} for the server's choice. */
  public DsnOptions withReturn(Return returnContent) {
    return new DsnOptions(notify, returnContent, envelopeId, originalRecipients);
  }

  /** {@code ENVID}: an id every report on this message quotes back; {@code null} for none. */
  public DsnOptions withEnvelopeId(String envelopeId) {
    return new DsnOptions(notify, returnContent, envelopeId, originalRecipients);
  }

  /** {@code ORCPT=rfc822;address} for each recipient. */
  public DsnOptions withOriginalRecipients(boolean originalRecipients) {
    return new DsnOptions(notify, returnContent, envelopeId, originalRecipients);
  }

  /** The events asked for: empty when unset (the server's default); an empty set means {@code NEVER}. */
  public Optional<Set<Notify>> notifyOn() {
    return Optional.ofNullable(notify);
  }

  public Optional<Return> returnContent() {
    return Optional.ofNullable(returnContent);
  }

  public Optional<String> envelopeId() {
    return Optional.ofNullable(envelopeId);
  }

  public boolean originalRecipients() {
    return originalRecipients;
  }

  /** Whether nothing is asked, so that no DSN parameter is sent. */
  public boolean isEmpty() {
    return notify == null && returnContent == null && envelopeId == null && !originalRecipients;
  }

  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof DsnOptions other && Objects.equals(notify, other.notify)
      && returnContent == other.returnContent && Objects.equals(envelopeId, other.envelopeId)
      && originalRecipients == other.originalRecipients);
  }

  @Override
  public int hashCode() {
    return Objects.hash(notify, returnContent, envelopeId, originalRecipients);
  }

  @Override
  public String toString() {
    return "DsnOptions[notify=" + (notify == null ? "default" : notify.isEmpty() ? "NEVER" : notify)
      + ", return=" + (returnContent == null ? "default" : returnContent)
      + (envelopeId == null ? "" : ", envelopeId=" + envelopeId)
      + (originalRecipients ? ", originalRecipients" : "") + "]";
  }
}
