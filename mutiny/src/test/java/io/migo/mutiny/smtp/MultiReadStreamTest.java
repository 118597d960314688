package io.migo.mutiny.smtp;

import io.smallrye.mutiny.Multi;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A Multi read as a Vert.x ReadStream: upstream demand follows fetch, nothing more. */
class MultiReadStreamTest {

  private final List<Long> requests = new CopyOnWriteArrayList<>();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final AtomicInteger subscriptions = new AtomicInteger();

  /** 1, 2, 3, ... without end, recording what is asked of it. */
  private Multi<Integer> endless() {
    return Multi.createFrom().<Integer, Integer>generator(() -> 1, (n, emitter) -> {
        emitter.emit(n);
        return n + 1;
      })
      .onSubscription().invoke(s -> subscriptions.incrementAndGet())
      .onRequest().invoke(requests::add)
      .onCancellation().invoke(() -> cancelled.set(true));
  }

  @Test
  void nothingIsSubscribedOrRequestedBeforeTheHandlerAndAFetch() {
    MultiReadStream<Integer> stream = new MultiReadStream<>(endless());
    stream.pause();
    assertThat(subscriptions).hasValue(0);

    List<Integer> got = new ArrayList<>();
    stream.handler(got::add);

    assertThat(subscriptions).hasValue(1);
    assertThat(requests).isEmpty();
    assertThat(got).isEmpty();
  }

  @Test
  void eachFetchRequestsExactlyThatManyUpstream() {
    MultiReadStream<Integer> stream = new MultiReadStream<>(endless());
    List<Integer> got = new ArrayList<>();
    stream.pause();
    stream.handler(got::add);

    stream.fetch(3);
    stream.fetch(1);
    stream.fetch(2);

    assertThat(got).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(requests).containsExactly(3L, 1L, 2L);
  }

  @Test
  void aFetchFromInsideTheHandlerLoopsInsteadOfNesting() {
    MultiReadStream<Integer> stream = new MultiReadStream<>(endless());
    int[] depth = {Integer.MAX_VALUE, 0};
    List<Integer> got = new ArrayList<>();
    stream.pause();
    stream.handler(n -> {
      got.add(n);
      int d = Thread.currentThread().getStackTrace().length;
      depth[0] = Math.min(depth[0], d);
      depth[1] = Math.max(depth[1], d);
      if (n < 50_000) {
        stream.fetch(1);
      }
    });

    stream.fetch(1);

    assertThat(got).hasSize(50_000);
    assertThat(requests).hasSize(50_000).allMatch(n -> n == 1L);
    assertThat(depth[1]).as("deepest stack").isEqualTo(depth[0]);
  }

  @Test
  void itemsAlreadyRequestedWaitWhilePausedAndComeFirstOnTheNextFetch() {
    // A publisher that has been asked for 3 delivers them even if the reader pauses after the first.
    MultiReadStream<Integer> stream = new MultiReadStream<>(endless());
    List<Integer> got = new ArrayList<>();
    stream.pause();
    stream.handler(n -> {
      got.add(n);
      stream.pause();
    });

    stream.fetch(3);
    assertThat(got).containsExactly(1);
    stream.fetch(2);

    assertThat(got).containsExactly(1, 2);
    stream.fetch(1);
    stream.fetch(1);
    assertThat(got).containsExactly(1, 2, 3, 4);
    assertThat(requests).as("nothing more asked for while two were waiting").containsExactly(3L, 1L);
  }

  @Test
  void resumeAsksForEverythingOnce() {
    MultiReadStream<Integer> stream = new MultiReadStream<>(Multi.createFrom().range(0, 1000)
      .onRequest().invoke(requests::add));
    List<Integer> got = new ArrayList<>();
    AtomicInteger ends = new AtomicInteger();
    stream.endHandler(v -> ends.incrementAndGet());
    stream.handler(got::add);

    stream.resume();

    assertThat(got).hasSize(1000);
    assertThat(requests).containsExactly(Long.MAX_VALUE);
    assertThat(ends).hasValue(1);
  }

  @Test
  void theEndComesAfterTheLastItemAndAFailureGoesToTheExceptionHandler() {
    MultiReadStream<Integer> stream = new MultiReadStream<>(Multi.createFrom().range(0, 2)
      .onCompletion().failWith(() -> new IllegalStateException("source broke")));
    List<Object> events = new ArrayList<>();
    stream.endHandler(v -> events.add("end"));
    stream.exceptionHandler(t -> events.add(t.getMessage()));
    stream.pause();
    stream.handler(events::add);

    stream.fetch(1);
    assertThat(events).containsExactly(0);
    stream.fetch(5);

    assertThat(events).containsExactly(0, 1, "source broke");
  }

  @Test
  void cancelStopsTheUpstreamAndDeliversNothingMore() {
    MultiReadStream<Integer> stream = new MultiReadStream<>(endless());
    List<Integer> got = new ArrayList<>();
    stream.pause();
    stream.handler(got::add);
    stream.fetch(2);

    stream.cancel();
    stream.fetch(5);

    assertThat(cancelled).isTrue();
    assertThat(got).containsExactly(1, 2);
    assertThat(requests).containsExactly(2L);
  }

  @Test
  void itemsFromAnotherThreadArriveInOrder() throws Exception {
    Multi<Integer> elsewhere = Multi.createFrom().range(0, 10_000)
      .runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultExecutor())
      .emitOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultExecutor());
    MultiReadStream<Integer> stream = new MultiReadStream<>(elsewhere);
    List<Integer> got = new CopyOnWriteArrayList<>();
    java.util.concurrent.CompletableFuture<Void> ended = new java.util.concurrent.CompletableFuture<>();
    stream.endHandler(v -> ended.complete(null));
    stream.pause();
    stream.handler(n -> {
      got.add(n);
      stream.fetch(1);
    });

    stream.fetch(4);
    ended.get(60, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(got).hasSize(10_000).isSorted();
  }
}
