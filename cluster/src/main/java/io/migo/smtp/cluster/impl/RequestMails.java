package io.migo.smtp.cluster.impl;

import io.migo.smtp.Mail;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.streams.ReadStream;

/**
 * A worker's requests as the stream of mails its client's {@code sendAll} reads: the consumer's demand is the bulk
 * send's. How many requests wait here is bounded by the producers' windows, not by this stream. A request that
 * cannot be turned back into a mail (a producer of another version) fails the stream's handler for that one mail
 * only: it is answered REJECTED by {@code onBadRequest}.
 */
public final class RequestMails implements ReadStream<Mail> {

  private final MessageConsumer<SendRequest> consumer;
  private final Handler<SendRequest> onBadRequest;

  public RequestMails(MessageConsumer<SendRequest> consumer, Handler<SendRequest> onBadRequest) {
    this.consumer = consumer;
    this.onBadRequest = onBadRequest;
  }

  @Override
  public RequestMails exceptionHandler(Handler<Throwable> handler) {
    consumer.exceptionHandler(handler);
    return this;
  }

  @Override
  public RequestMails handler(Handler<Mail> handler) {
    consumer.handler(handler == null ? null : message -> toMail(message, handler));
    return this;
  }

  private void toMail(Message<SendRequest> message, Handler<Mail> handler) {
    Mail mail;
    try {
      mail = message.body().toMail();
    } catch (RuntimeException e) {
      onBadRequest.handle(message.body());
      return;
    }
    handler.handle(mail);
  }

  @Override
  public RequestMails pause() {
    consumer.pause();
    return this;
  }

  @Override
  public RequestMails resume() {
    consumer.resume();
    return this;
  }

  @Override
  public RequestMails fetch(long amount) {
    consumer.fetch(amount);
    return this;
  }

  @Override
  public RequestMails endHandler(Handler<Void> endHandler) {
    consumer.endHandler(endHandler);
    return this;
  }
}
