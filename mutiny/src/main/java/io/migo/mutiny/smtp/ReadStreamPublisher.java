package io.migo.mutiny.smtp;

import io.vertx.core.streams.ReadStream;

import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Vert.x {@link ReadStream} as a {@link Flow.Publisher} for one subscriber, with the demand carried across: the
 * subscriber's {@code request(n)} becomes {@code fetch(n)}, so the stream hands over only what was asked for, and
 * {@code cancel()} pauses it and runs {@code onCancel} (the facade stops reading its mails there).
 *
 * <p>The stream's signals arrive one at a time (a core {@code sendAll} emits on the client's context only), which
 * is what Reactive Streams asks of {@code onNext}; {@code request} may come from any thread, which
 * {@code fetch} takes. A stream that reports a failure and then ends (as {@code sendAll} does) gives one
 * {@code onError}; nothing is passed on after the first terminal signal or a cancel.
 */
final class ReadStreamPublisher<T> implements Flow.Publisher<T> {

  private final ReadStream<T> stream;
  private final Runnable onCancel;
  private final AtomicBoolean subscribedOnce = new AtomicBoolean();

  ReadStreamPublisher(ReadStream<T> stream, Runnable onCancel) {
    this.stream = stream;
    this.onCancel = onCancel;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    if (!subscribedOnce.compareAndSet(false, true)) {
      subscriber.onSubscribe(new Flow.Subscription() {
        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
        }
      });
      subscriber.onError(new IllegalStateException("this stream can be subscribed to only once"));
      return;
    }
    Link link = new Link(subscriber);
    // Fetch mode before anything can flow: nothing is handed over before the subscriber asks for it.
    stream.pause();
    stream.exceptionHandler(link::fail);
    stream.endHandler(v -> link.complete());
    subscriber.onSubscribe(link);
    // Last: setting the handler is what starts the stream.
    stream.handler(link::next);
  }

  /** The subscription, and the one place that knows whether the subscriber may still be signalled. */
  private final class Link implements Flow.Subscription {
    private final Flow.Subscriber<? super T> subscriber;
    private final AtomicBoolean done = new AtomicBoolean();

    Link(Flow.Subscriber<? super T> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      if (done.get()) {
        return;
      }
      if (n <= 0) {
        // Reactive Streams rule 3.9.
        cancel();
        subscriber.onError(new IllegalArgumentException("request must be positive, was " + n));
        return;
      }
      stream.fetch(n);
    }

    @Override
    public void cancel() {
      if (done.compareAndSet(false, true)) {
        stream.pause();
        onCancel.run();
      }
    }

    void next(T item) {
      if (!done.get()) {
        subscriber.onNext(item);
      }
    }

    void fail(Throwable failure) {
      if (done.compareAndSet(false, true)) {
        subscriber.onError(failure);
      }
    }

    void complete() {
      if (done.compareAndSet(false, true)) {
        subscriber.onComplete();
      }
    }
  }
}
