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

  /**
   * The reply as vertx-mail-client keeps it: each line with its code and enhanced code ({@code -} after the code
   * between lines, a space on the last), which is also what its enhanced-status parsing reads. A refused
   * recipient's text comes without the enhanced code, so it is put back.
   */
  private static List<String> replyLines(SmtpException e) {
    List<String> text = e.serverLines().isEmpty() ? List.of("") : e.serverLines();
    String enhanced = e.enhancedCode() == null ? null : e.enhancedCode() + " ";
    List<String> lines = new ArrayList<>(text.size());
    for (int i = 0; i < text.size(); i++) {
      String line = enhanced == null || text.get(i).startsWith(enhanced) ? text.get(i) : enhanced + text.get(i);
      lines.add(e.replyCode() + (i < text.size() - 1 ? "-" : " ") + line);
    }
    return List.copyOf(lines);
  }

  /** migo's own account of the failure. */
  @Override
  public synchronized SmtpException getCause() {
    return migo;
  }
}
