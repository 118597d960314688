package io.migo.smtp.impl.session;

import io.migo.smtp.RecipientRejection;
import io.migo.smtp.RecipientsRejectedException;
import io.migo.smtp.RecipientsUnknownException;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Delivery;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.impl.protocol.Reply;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * LMTP's answer to the end of the data (RFC 2033 §4.2): not one reply but one per recipient accepted at RCPT, in RCPT
 * order, since the server delivers to each mailbox on its own. This class turns those replies, once all are in (or
 * lost), into the message's result, so that {@link MailTransaction} has one call where SMTP has one reply:
 * <ul>
 *   <li>at least one delivered: a {@link SendResult} whose rejected recipients include those refused after the data
 *   (with their own code, enhanced code and text): partially delivered when any was refused;</li>
 *   <li>none delivered: a {@link RecipientsRejectedException} in phase DATA_END, every refusal listed; like refusals
 *   at RCPT it is REFUSED, retried with backoff only when every refusal was a 4xx ({@link
 *   io.migo.smtp.impl.FailurePolicy});</li>
 *   <li>some replies never came after the server had begun answering: a {@link RecipientsUnknownException} (maybe
 *   delivered, never sent again), which keeps what the server did say.</li>
 * </ul>
 */
final class LmtpVerdicts {

  private LmtpVerdicts() {
  }

  /**
   * Registers the replies after the first one (which the caller registers as its DATA_END or last-BDAT reply), so
   * that they sit in the connection's FIFO before anything written later, such as the next message's envelope.
   */
  static List<Future<Reply>> expectMore(SmtpConnection connection, int more, long timeoutMs) {
    List<Future<Reply>> replies = new ArrayList<>(more);
    for (int i = 0; i < more; i++) {
      replies.add(connection.expectReply(SmtpPhase.DATA_END, timeoutMs));
    }
    return replies;
  }

  /**
   * Completes once every reply is in or lost.
   *
   * @param recipients the recipients accepted at RCPT, in RCPT order, one per reply
   * @param replies    their replies, the first being the one to the end of the data
   * @param atRcpt     the recipients refused at RCPT
   * @param all        every recipient of the transaction, in the order given (for the order of the rejections)
   */
  static Future<SendResult> settle(String messageId, List<String> recipients, List<Future<Reply>> replies,
                                   List<RecipientRejection> atRcpt, List<String> all) {
    return Future.join(replies).transform(ignored -> Future.succeededFuture())
      .compose(ignored -> decide(messageId, recipients, replies, atRcpt, all));
  }

  private static Future<SendResult> decide(String messageId, List<String> recipients, List<Future<Reply>> replies,
                                           List<RecipientRejection> atRcpt, List<String> all) {
    Future<Reply> first = replies.get(0);
    if (first.failed() && SmtpException.of(first.cause()).delivery() != Delivery.MAYBE_DELIVERED) {
      return Future.failedFuture(first.cause()); // the data never fully left: nothing was delivered
    }
    List<String> delivered = new ArrayList<>(recipients.size());
    List<RecipientRejection> afterData = new ArrayList<>(0);
    List<String> unknown = new ArrayList<>(0);
    List<String> texts = new ArrayList<>(recipients.size());
    SmtpException lost = null;
    for (int i = 0; i < recipients.size(); i++) {
      String recipient = recipients.get(i);
      Future<Reply> reply = replies.get(i);
      if (reply.failed()) {
        unknown.add(recipient);
        lost = lost != null ? lost : SmtpException.of(reply.cause());
        continue;
      }
      Reply r = reply.result();
      if (r.isPositiveCompletion()) {
        delivered.add(recipient);
        texts.add(String.join(" ", r.lines()));
      } else {
        afterData.add(new RecipientRejection(recipient, r.code(),
          r.enhancedCode() == null ? null : r.enhancedCode().toString(), r.message(), SmtpPhase.DATA_END));
      }
    }
    List<RecipientRejection> rejected = inOrder(all, atRcpt, afterData);
    if (lost != null) {
      return Future.failedFuture(new RecipientsUnknownException("no reply after the data for " + unknown.size()
        + " of " + recipients.size() + " recipients (" + String.join(", ", unknown) + "): the message may have been "
        + "delivered to them; delivered to " + delivered.size() + ", refused for " + rejected.size() + "; "
        + lost.getMessage(), lost, delivered, rejected, unknown));
    }
    if (delivered.isEmpty()) {
      return Future.failedFuture(new RecipientsRejectedException(SmtpPhase.DATA_END,
        "every recipient was refused" + (atRcpt.isEmpty() ? " after the data" : ", at RCPT or after the data"),
        rejected));
    }
    return Future.succeededFuture(new SendResult(messageId, String.join("; ", texts), delivered, rejected));
  }

  /** The refusals at RCPT and after the data, in the order the recipients were given. */
  private static List<RecipientRejection> inOrder(List<String> all, List<RecipientRejection> atRcpt,
                                                  List<RecipientRejection> afterData) {
    if (afterData.isEmpty()) {
      return atRcpt;
    }
    if (atRcpt.isEmpty()) {
      return afterData;
    }
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      position.putIfAbsent(all.get(i), i);
    }
    List<RecipientRejection> merged = new ArrayList<>(atRcpt.size() + afterData.size());
    merged.addAll(atRcpt);
    merged.addAll(afterData);
    merged.sort((a, b) -> Integer.compare(position.getOrDefault(a.address(), 0), position.getOrDefault(b.address(), 0)));
    return merged;
  }
}
