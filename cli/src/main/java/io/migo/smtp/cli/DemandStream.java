package io.migo.smtp.cli;

import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;

/**
 * What the CLI's mail sources ({@link MailSource}, {@link BulkInput}) share as Vert.x {@link ReadStream}s in fetch
 * mode: the handlers and the demand — {@code pause} sets it to none, {@code resume} to unbounded, {@code fetch}
 * adds to it — after each change of which the subclass emits what it can. Confined to one thread, as its subclasses
 * are.
 */
abstract class DemandStream<T> implements ReadStream<T> {

  /** Items asked for and not yet handed over; {@link Long#MAX_VALUE} for unbounded. */
  protected long demand;
  protected Handler<T> handler;
  protected Handler<Throwable> exceptionHandler;
  protected Handler<Void> endHandler;

  /** Hands over what is ready and asked for; called after every change of the demand. */
  protected abstract void emit();

  /** Takes one item of the demand, just before it is handed over. */
  protected final void took() {
    if (demand != Long.MAX_VALUE) {
      demand--;
    }
  }

  @Override
  public DemandStream<T> handler(Handler<T> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public DemandStream<T> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public DemandStream<T> endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public DemandStream<T> pause() {
    demand = 0;
    return this;
  }

  @Override
  public DemandStream<T> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public DemandStream<T> fetch(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("amount must not be negative");
    }
    demand = demand > Long.MAX_VALUE - amount ? Long.MAX_VALUE : demand + amount;
    emit();
    return this;
  }
}
