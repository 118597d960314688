package io.migo.mutiny.smtp;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A Vert.x ReadStream as a Multi: the subscriber's requests become fetches, a cancel pauses it. */
class ReadStreamPublisherTest {

  private final Recording stream = new Recording();
  private final AtomicInteger cancels = new AtomicInteger();
  private final Multi<String> multi =
    Multi.createFrom().publisher(new ReadStreamPublisher<>(stream, cancels::incrementAndGet));

  @Test
  void theStreamIsPausedBeforeItsHandlerStartsItAndRequestsBecomeFetches() {
    AssertSubscriber<String> subscriber = multi.subscribe().withSubscriber(AssertSubscriber.create(0));

    assertThat(stream.calls).containsExactly("pause", "handler");
    subscriber.request(2);
    subscriber.request(5);

    assertThat(stream.calls).containsExactly("pause", "handler", "fetch 2", "fetch 5");
  }

  @Test
  void itemsAndTheEndPassThrough() {
    AssertSubscriber<String> subscriber = multi.subscribe().withSubscriber(AssertSubscriber.create(10));

    stream.emit("a");
    stream.emit("b");
    stream.end();

    subscriber.assertItems("a", "b").assertCompleted();
  }

  @Test
  void aFailureThenTheEndIsOneFailure() {
    AssertSubscriber<String> subscriber = multi.subscribe().withSubscriber(AssertSubscriber.create(10));

    stream.emit("a");
    stream.fail(new IllegalStateException("source broke"));
    stream.end();

    subscriber.assertItems("a").assertFailedWith(IllegalStateException.class, "source broke");
  }

  @Test
  void cancelPausesTheStreamRunsTheHookOnceAndDropsWhatStillComes() {
    AssertSubscriber<String> subscriber = multi.subscribe().withSubscriber(AssertSubscriber.create(10));
    stream.emit("a");

    subscriber.cancel();
    subscriber.cancel();
    stream.emit("late");
    stream.end();

    assertThat(cancels).hasValue(1);
    assertThat(stream.calls).endsWith("pause");
    subscriber.assertItems("a").assertNotTerminated();
  }

  @Test
  void aSecondSubscriberIsRefused() {
    multi.subscribe().withSubscriber(AssertSubscriber.create(1));

    AssertSubscriber<String> second = multi.subscribe().withSubscriber(AssertSubscriber.create(1));

    second.assertFailedWith(IllegalStateException.class, "only once");
  }

  /** A stream the test drives by hand, recording what is asked of it. */
  private static final class Recording implements ReadStream<String> {
    final List<String> calls = new ArrayList<>();
    private Handler<String> handler;
    private Handler<Throwable> exceptionHandler;
    private Handler<Void> endHandler;

    void emit(String item) {
      handler.handle(item);
    }

    void fail(Throwable failure) {
      exceptionHandler.handle(failure);
    }

    void end() {
      endHandler.handle(null);
    }

    @Override
    public ReadStream<String> exceptionHandler(Handler<Throwable> handler) {
      exceptionHandler = handler;
      return this;
    }

    @Override
    public ReadStream<String> handler(Handler<String> handler) {
      calls.add("handler");
      this.handler = handler;
      return this;
    }

    @Override
    public ReadStream<String> pause() {
      calls.add("pause");
      return this;
    }

    @Override
    public ReadStream<String> resume() {
      calls.add("resume");
      return this;
    }

    @Override
    public ReadStream<String> fetch(long amount) {
      calls.add("fetch " + amount);
      return this;
    }

    @Override
    public ReadStream<String> endHandler(Handler<Void> endHandler) {
      this.endHandler = endHandler;
      return this;
    }
  }
}
