package io.migo.smtp.impl.bulk;

import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * A ReadStream of mails numbered 0, 1, 2... (the number is the correlation id), endless or of a given length, that
 * records how it was driven: every pause, resume and fetch. It hands over mails synchronously inside fetch, the
 * most demanding kind of source for re-entrancy. Used from one context only.
 */
public final class CountingSource implements ReadStream<Mail> {

  public static final String MESSAGE = "Subject: test\r\n\r\nHello\r\n";

  private final long length;
  private final Throwable failAtEnd;
  private final LongFunction<Mail> mails;
  private Handler<Mail> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand = Long.MAX_VALUE;
  private long emitted;
  private long fetched;
  private boolean emitting;
  private boolean ended;
  public final List<String> calls = new ArrayList<>();

  private CountingSource(long length, Throwable failAtEnd, LongFunction<Mail> mails) {
    this.length = length;
    this.failAtEnd = failAtEnd;
    this.mails = mails;
  }

  public static CountingSource endless() {
    return new CountingSource(Long.MAX_VALUE, null, CountingSource::mail);
  }

  public static CountingSource of(long length) {
    return new CountingSource(length, null, CountingSource::mail);
  }

  public static CountingSource failingAfter(long length, Throwable failure) {
    return new CountingSource(length, failure, CountingSource::mail);
  }

  /** {@code length} mails, the n-th made by {@code mails} (which should give it correlation id n). */
  public static CountingSource of(long length, LongFunction<Mail> mails) {
    return new CountingSource(length, null, mails);
  }

  public static Mail mail(long n) {
    return Mail.raw(Envelope.of("a@example.test", "b@example.test"), Buffer.buffer(MESSAGE)).withCorrelationId(n);
  }

  /** Mails handed over so far. */
  public long emitted() {
    return emitted;
  }

  /** The sum of every fetch(n). */
  public long fetched() {
    return fetched;
  }

  @Override
  public CountingSource handler(Handler<Mail> handler) {
    this.handler = handler;
    emit();
    return this;
  }

  @Override
  public CountingSource exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public CountingSource endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public CountingSource pause() {
    calls.add("pause");
    demand = 0;
    return this;
  }

  @Override
  public CountingSource resume() {
    calls.add("resume");
    demand = Long.MAX_VALUE;
    emit();
    return this;
  }

  @Override
  public CountingSource fetch(long amount) {
    calls.add("fetch " + amount);
    fetched += amount;
    demand = demand > Long.MAX_VALUE - amount ? Long.MAX_VALUE : demand + amount;
    emit();
    return this;
  }

  private void emit() {
    if (emitting || handler == null) {
      return;
    }
    emitting = true;
    try {
      while (demand > 0 && emitted < length) {
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        handler.handle(mails.apply(emitted++));
      }
      if (emitted == length && !ended) {
        ended = true;
        if (failAtEnd != null) {
          exceptionHandler.handle(failAtEnd);
        } else if (endHandler != null) {
          endHandler.handle(null);
        }
      }
    } finally {
      emitting = false;
    }
  }
}
