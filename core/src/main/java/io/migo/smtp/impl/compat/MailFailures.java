package io.migo.smtp.impl.compat;

import io.migo.smtp.SmtpException;

/**
 * What a failed send becomes for a vertx-mail-client user. A failure that carries a server reply becomes the
 * {@code SMTPException} they already catch (with migo's exception as its cause); every other failure (connection,
 * TLS, timeout, a refused message, a closed client) stays migo's {@link SmtpException}, a RuntimeException whose
 * message names the phase and, where the user can fix it, how. vertx-mail-client itself fails those with assorted
 * exception types, so there is no common type to keep.
 */
final class MailFailures {

  private MailFailures() {
  }

  static Throwable forMailClient(Throwable failure) {
    if (failure instanceof SmtpException e && e.replyCode() > 0) {
      return new ReplyException(e);
    }
    return failure;
  }
}
