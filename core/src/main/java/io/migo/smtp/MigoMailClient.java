package io.migo.smtp;

import io.migo.smtp.impl.compat.MigoMailClientBuilder;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailClientBuilder;
import io.vertx.ext.mail.MailConfig;

/**
 * vertx-mail-client's {@link MailClient} implemented by migo, for applications written against it: replace
 * {@code MailClient.create(vertx, config)} by {@code MigoMailClient.create(vertx, config)} and nothing else changes
 * ({@code sendMail}, {@code MailResult}, {@code close}).
 *
 * <p>The {@link MailConfig} is mapped to migo's options when the client is created (the README's "Coming from
 * vertx-mail-client" has the table). An option that migo cannot honour is refused then, with an
 * {@link IllegalArgumentException} naming it and saying why, never silently ignored. A failed send fails with
 * vertx-mail-client's {@link io.vertx.ext.mail.SMTPException} when the server replied (its cause is migo's
 * {@link SmtpException}), and with {@link SmtpException} otherwise.
 */
public final class MigoMailClient {

  private MigoMailClient() {
  }

  /** A client with a pool of its own, as {@link MailClient#create(Vertx, MailConfig)}. */
  public static MailClient create(Vertx vertx, MailConfig config) {
    return builder(vertx).with(config).build();
  }

  /**
   * A client that shares its pool with every MigoMailClient created on {@code vertx} with the same pool name, as
   * {@link MailClient#createShared(Vertx, MailConfig, String)}: the first one's configuration is used, and the pool
   * closes with the last one.
   */
  public static MailClient createShared(Vertx vertx, MailConfig config, String poolName) {
    return builder(vertx).with(config).shared(poolName).build();
  }

  /** {@link #createShared(Vertx, MailConfig, String)} with {@link MailClient#DEFAULT_POOL_NAME}. */
  public static MailClient createShared(Vertx vertx, MailConfig config) {
    return createShared(vertx, config, MailClient.DEFAULT_POOL_NAME);
  }

  /**
   * A builder, as {@link MailClient#builder(Vertx)}: {@code with(config)}, {@code withCredentialsSupplier(...)}
   * (called at each authentication, e.g. for a fresh OAuth 2.0 token), {@code shared(poolName)}, {@code build()}.
   */
  public static MailClientBuilder builder(Vertx vertx) {
    return new MigoMailClientBuilder(vertx);
  }
}
