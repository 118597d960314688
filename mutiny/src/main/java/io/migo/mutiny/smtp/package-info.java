/**
 * The Mutiny facade of the SMTP client, shaped like SmallRye's generated Vert.x bindings.
 *
 * <p>{@link io.migo.mutiny.smtp.SmtpClient} is created from the Mutiny {@code io.vertx.mutiny.core.Vertx}; each
 * {@code Future} method of {@link io.migo.smtp.SmtpClient} becomes a lazy {@code Uni} (nothing happens before
 * subscription) with {@code ...AndAwait} and {@code ...AndForget} twins, and bulk sends are a {@code Multi} of
 * {@link io.migo.smtp.SendOutcome}s. Options, results and exceptions are those of {@code io.migo.smtp}. The facade
 * uses only that public API.
 */
package io.migo.mutiny.smtp;
