package io.migo.smtp.testkit;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The progress-bounded wait: a run that keeps moving passes however long it takes, a run that stops moving fails
 * and says where it stopped. The limits here are tiny on purpose (they are what is tested); the outcomes do not
 * depend on the machine's speed, because the counter moves on every look in the passing cases.
 */
class AwaitTest {

  private static final Duration STALL = Duration.ofMillis(100);

  @Test
  void aRunThatKeepsMovingPassesLongAfterTheStallLimit() {
    Promise<String> run = Promise.promise();
    AtomicLong looks = new AtomicLong();
    long started = System.nanoTime();
    // Each look sees one more message settled; the run ends after 40 looks (40 × 25 ms, well past the stall limit).
    String result = Await.untilDone(run.future(), "test run", () -> {
      if (looks.incrementAndGet() == 40) {
        run.complete("done");
      }
      return looks.get();
    }, STALL, Duration.ofMinutes(5));

    assertThat(result).isEqualTo("done");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(STALL);
  }

  @Test
  void aRunThatStopsMovingFailsAndReportsHowFarItGot() {
    Future<String> never = Promise.<String>promise().future();

    assertThatThrownBy(() -> Await.untilDone(never, "test run, messages settled", () -> 1234, STALL,
      Duration.ofMinutes(5)))
      .isInstanceOf(AssertionError.class)
      .hasMessageStartingWith("test run, messages settled: no progress for 100 ms, stuck at 1234 after");
  }

  @Test
  void aRunThatMovesForeverFailsAtTheOuterLimit() {
    Future<String> never = Promise.<String>promise().future();
    AtomicLong looks = new AtomicLong();

    assertThatThrownBy(() -> Await.untilDone(never, "test run", looks::incrementAndGet, STALL,
      Duration.ofMillis(300)))
      .isInstanceOf(AssertionError.class)
      .hasMessageContaining("outer limit");
  }

  @Test
  void aFailedRunFailsAtOnceWithItsCause() {
    Future<String> failed = Future.failedFuture(new IllegalStateException("boom"));

    assertThatThrownBy(() -> Await.untilDone(failed, "test run", () -> 7))
      .isInstanceOf(AssertionError.class)
      .hasMessageContaining("failed at 7")
      .hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void untilReturnsOnceTheConditionHolds() {
    AtomicLong looks = new AtomicLong();

    Await.until(() -> looks.incrementAndGet() >= 3, "three looks");

    assertThat(looks.get()).isEqualTo(3);
  }
}
