package io.migo.smtp.impl.compat;

import io.migo.smtp.PoolOptions;
import io.migo.smtp.SmtpClientOptions;
import io.vertx.ext.mail.MailConfig;

/**
 * What a vertx-mail-client {@link MailConfig} becomes: migo's client and pool options, and what the MIME encoder
 * still reads from the MailConfig itself (user agent, multipart-only) with the host name for Message-IDs.
 *
 * @param options         the client options, a fresh object the caller may hand to the client
 * @param poolOptions     the pool options
 * @param encoderConfig   a private copy of the MailConfig, for vertx-mail-client's {@code MailEncoder} only
 * @param messageHostname the host name in generated Message-IDs and MIME boundaries
 */
public record MappedConfig(SmtpClientOptions options, PoolOptions poolOptions, MailConfig encoderConfig,
                           String messageHostname) {
}
