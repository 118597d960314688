package io.migo.smtp.impl.compat;

import io.migo.smtp.SmtpException;
import io.vertx.ext.mail.SMTPException;

import java.util.ArrayList;
import java.util.List;

/**
 * A failure caused by a server reply, in the type vertx-mail-client users catch: its {@link SMTPException} with the
 * reply code, the reply lines as vertx-mail-client gives them ({@code "550 5.1.1 text"}) and the enhanced status.
 * {@link #getCause()} is migo's {@link SmtpException}, with the phase, the reason and what the server holds of the
 * message.
 */
public final class ReplyException extends SMTPException {

  private final SmtpException migo;

  ReplyException(SmtpException migo) {
    super(migo.getMessage(), migo.replyCode(), replyLines(migo), migo.enhancedCode() != null);
    this.migo = migo;
  }

  /** The reply as vertx-mail-client keeps it: each line with its code, {@code -} between lines, space on the last. */
  private static List<String> replyLines(SmtpException e) {
    List<String> text = e.serverLines().isEmpty() ? List.of("") : e.serverLines();
    List<String> lines = new ArrayList<>(text.size());
    for (int i = 0; i < text.size(); i++) {
      lines.add(e.replyCode() + (i < text.size() - 1 ? "-" : " ") + text.get(i));
    }
    return List.copyOf(lines);
  }

  /** migo's own account of the failure. */
  @Override
  public synchronized SmtpException getCause() {
    return migo;
  }
}
