package io.migo.mutiny.smtp;

import io.migo.smtp.BulkOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.PoolStats;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendProgress;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClientOptions;
import io.smallrye.common.annotation.CheckReturnValue;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.MutinyDelegate;
import io.smallrye.mutiny.vertx.MutinyGen;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailMessage;
import io.vertx.mutiny.core.Vertx;

/**
 * The Mutiny view of {@link io.migo.smtp.SmtpClient}, shaped like the shims SmallRye generates for Vert.x APIs:
 * created from the Mutiny {@link Vertx}, every {@code Future} method becomes a lazy {@link Uni} plus its
 * {@code ...AndAwait} and {@code ...AndForget} twins, and {@link #getDelegate()} returns the core client. Uses only the
 * public API of {@code io.migo.smtp}.
 */
@MutinyGen(io.migo.smtp.SmtpClient.class)
public class SmtpClient implements MutinyDelegate {

  private final io.migo.smtp.SmtpClient delegate;

  public SmtpClient(io.migo.smtp.SmtpClient delegate) {
    if (delegate == null) {
      throw new IllegalArgumentException("delegate must not be null");
    }
    this.delegate = delegate;
  }

  /** Wraps a core client, or returns null for null (as the generated shims do). */
  public static SmtpClient newInstance(io.migo.smtp.SmtpClient delegate) {
    return delegate != null ? new SmtpClient(delegate) : null;
  }

  /** @see io.migo.smtp.SmtpClient#create(io.vertx.core.Vertx, SmtpClientOptions) */
  public static SmtpClient create(Vertx vertx, SmtpClientOptions options) {
    return newInstance(io.migo.smtp.SmtpClient.create(vertx.getDelegate(), options));
  }

  /** @see io.migo.smtp.SmtpClient#create(io.vertx.core.Vertx, SmtpClientOptions, PoolOptions) */
  public static SmtpClient create(Vertx vertx, SmtpClientOptions options, PoolOptions poolOptions) {
    return newInstance(io.migo.smtp.SmtpClient.create(vertx.getDelegate(), options, poolOptions));
  }

  @Override
  public io.migo.smtp.SmtpClient getDelegate() {
    return delegate;
  }

  /**
   * Sends a message built with vertx-mail-client's {@link MailMessage}.
   *
   * <p>Unlike the <em>bare</em> version, this method returns a {@link Uni Uni}. Don't forget to <em>subscribe</em>
   * on it to trigger the operation.
   *
   * @param message the message
   * @return the {@link Uni uni} firing the result of the operation when completed, or a failure if the operation
   * failed.
   * @see io.migo.smtp.SmtpClient#send(MailMessage)
   */
  @CheckReturnValue
  public Uni<SendResult> send(MailMessage message) {
    return Uni.createFrom().completionStage(() -> delegate.send(message).toCompletionStage());
  }

  /**
   * Blocking variant of {@link #send(MailMessage)}.
   *
   * <p>This method waits for the completion of the underlying asynchronous operation. If the operation completes
   * successfully, the result is returned, otherwise the failure is thrown (potentially wrapped in a
   * RuntimeException).
   *
   * @param message the message
   * @return the SendResult instance produced by the operation.
   */
  public SendResult sendAndAwait(MailMessage message) {
    return send(message).await().indefinitely();
  }

  /**
   * Variant of {@link #send(MailMessage)} that ignores the result of the operation.
   *
   * <p>This method subscribes on the result of {@link #send(MailMessage)}, but discards the outcome (item or
   * failure). This method is useful to trigger the asynchronous operation from {@link #send(MailMessage)} but you
   * don't need to compose it with other operations.
   *
   * @param message the message
   * @return the instance of SmtpClient to chain method calls.
   */
  public SmtpClient sendAndForget(MailMessage message) {
    send(message).subscribe().with(ignored -> {
    }, ignored -> {
    });
    return this;
  }

  /**
   * Sends a ready RFC 5322 message with the given envelope.
   *
   * <p>Unlike the <em>bare</em> version, this method returns a {@link Uni Uni}. Don't forget to <em>subscribe</em>
   * on it to trigger the operation.
   *
   * @param envelope the envelope
   * @param message  the message, headers and body
   * @return the {@link Uni uni} firing the result of the operation when completed, or a failure if the operation
   * failed.
   * @see io.migo.smtp.SmtpClient#send(Envelope, Buffer)
   */
  @CheckReturnValue
  public Uni<SendResult> send(Envelope envelope, Buffer message) {
    return Uni.createFrom().completionStage(() -> delegate.send(envelope, message).toCompletionStage());
  }

  /**
   * Blocking variant of {@link #send(Envelope, Buffer)}.
   *
   * <p>This method waits for the completion of the underlying asynchronous operation. If the operation completes
   * successfully, the result is returned, otherwise the failure is thrown (potentially wrapped in a
   * RuntimeException).
   *
   * @return the SendResult instance produced by the operation.
   */
  public SendResult sendAndAwait(Envelope envelope, Buffer message) {
    return send(envelope, message).await().indefinitely();
  }

  /**
   * Variant of {@link #send(Envelope, Buffer)} that ignores the result of the operation.
   *
   * @return the instance of SmtpClient to chain method calls.
   */
  public SmtpClient sendAndForget(Envelope envelope, Buffer message) {
    send(envelope, message).subscribe().with(ignored -> {
    }, ignored -> {
    });
    return this;
  }

  /**
   * Sends one {@link Mail}.
   *
   * <p>Unlike the <em>bare</em> version, this method returns a {@link Uni Uni}. Don't forget to <em>subscribe</em>
   * on it to trigger the operation.
   *
   * @return the {@link Uni uni} firing the result of the operation when completed, or a failure if the operation
   * failed.
   * @see io.migo.smtp.SmtpClient#send(Mail)
   */
  @CheckReturnValue
  public Uni<SendResult> send(Mail mail) {
    return Uni.createFrom().completionStage(() -> delegate.send(mail).toCompletionStage());
  }

  /**
   * Blocking variant of {@link #send(Mail)}.
   *
   * @return the SendResult instance produced by the operation.
   */
  public SendResult sendAndAwait(Mail mail) {
    return send(mail).await().indefinitely();
  }

  /**
   * Variant of {@link #send(Mail)} that ignores the result of the operation.
   *
   * @return the instance of SmtpClient to chain method calls.
   */
  public SmtpClient sendAndForget(Mail mail) {
    send(mail).subscribe().with(ignored -> {
    }, ignored -> {
    });
    return this;
  }

  /**
   * Closes the client gracefully: sends accepted before it are carried out, then every session ends with QUIT.
   *
   * <p>Unlike the <em>bare</em> version, this method returns a {@link Uni Uni}. Don't forget to <em>subscribe</em>
   * on it to trigger the operation.
   *
   * @return the {@link Uni uni} firing the result of the operation when completed, or a failure if the operation
   * failed.
   * @see io.migo.smtp.SmtpClient#close()
   */
  @CheckReturnValue
  public Uni<Void> close() {
    return Uni.createFrom().completionStage(() -> delegate.close().toCompletionStage());
  }

  /** Blocking variant of {@link #close()}. */
  public void closeAndAwait() {
    close().await().indefinitely();
  }

  /**
   * Variant of {@link #close()} that ignores the result of the operation.
   *
   * @return the instance of SmtpClient to chain method calls.
   */
  public SmtpClient closeAndForget() {
    close().subscribe().with(ignored -> {
    }, ignored -> {
    });
    return this;
  }

  /** {@link #sendAll(Multi, BulkOptions)} with the default {@link BulkOptions}. */
  @CheckReturnValue
  public Multi<SendOutcome> sendAll(Multi<Mail> mails) {
    return sendAll(mails, new BulkOptions());
  }

  /**
   * Sends every mail of {@code mails}, at most {@link BulkOptions#getConcurrency()} at a time, and emits one
   * {@link SendOutcome} per mail: a refused or failed mail is an item, never a failure of the stream. This is the
   * core client's {@link io.migo.smtp.SmtpClient#sendAll(io.vertx.core.streams.ReadStream, BulkOptions) sendAll}
   * itself (same window, same ordering, same counts in {@link #progress()}), with the demand carried both ways:
   * mails are requested from {@code mails} only as places in the window free up (a send completes and its outcome
   * is taken), and outcomes are fetched only as the subscriber requests them, so an endless source is fine.
   *
   * <p>Lazy: nothing is read or sent before subscription, and each subscription is a run of its own. Cancelling
   * stops the reading of {@code mails}; sends already started still complete (and count in {@link #progress()}),
   * their outcomes are dropped. A failure of {@code mails} itself fails the stream, after the mails in flight have
   * completed and their outcomes have been emitted.
   *
   * @see io.migo.smtp.SmtpClient#sendAll(io.vertx.core.streams.ReadStream, BulkOptions)
   */
  @CheckReturnValue
  public Multi<SendOutcome> sendAll(Multi<Mail> mails, BulkOptions options) {
    BulkOptions copy = new BulkOptions(options);
    return Multi.createFrom().deferred(() -> {
      MultiReadStream<Mail> source = new MultiReadStream<>(mails);
      return Multi.createFrom().publisher(new ReadStreamPublisher<>(delegate.sendAll(source, copy), source::cancel));
    });
  }

  /** @see io.migo.smtp.SmtpClient#progress() */
  public SendProgress progress() {
    return delegate.progress();
  }

  /** @see io.migo.smtp.SmtpClient#poolStats() */
  public PoolStats poolStats() {
    return delegate.poolStats();
  }

  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof SmtpClient other && delegate.equals(other.delegate));
  }

  @Override
  public int hashCode() {
    return delegate.hashCode();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
