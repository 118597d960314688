package io.migo.smtp.cli;

import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class BulkSenderTest {

  private static final SendResult OK = new SendResult(null, "2.0.0 Ok", List.of("b@example.com"), List.of());

  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void keepsTheWindowFullButNeverOverfull() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    AtomicInteger sent = new AtomicInteger();
    // Completed from a timer on another context, as a real client completes from its own event loop.
    Context completer = vertx.getOrCreateContext();
    BulkSender sender = new BulkSender(vertx.getOrCreateContext(), 57, 5, () -> {
      sent.incrementAndGet();
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      Promise<SendResult> promise = Promise.promise();
      long delay = 1 + sent.get() % 3;
      completer.runOnContext(v -> vertx.setTimer(delay, id -> {
        inFlight.decrementAndGet();
        promise.complete(OK);
      }));
      return promise.future();
    });

    Summary summary = await(sender.run());

    assertThat(sent).hasValue(57);
    assertThat(maxInFlight).hasValue(5);
    assertThat(summary.delivered()).isEqualTo(57);
    assertThat(summary.allDelivered()).isTrue();
    assertThat(summary.seconds()).isPositive();
  }

  @Test
  void concurrencyAboveCountStartsOnlyCount() throws Exception {
    AtomicInteger sent = new AtomicInteger();
    BulkSender sender = new BulkSender(vertx.getOrCreateContext(), 3, 100, () -> {
      sent.incrementAndGet();
      return Future.succeededFuture(OK);
    });
    assertThat(await(sender.run()).delivered()).isEqualTo(3);
    assertThat(sent).hasValue(3);
  }

  @Test
  void manyImmediateFailuresDoNotOverflowTheStack() throws Exception {
    SmtpException refused = new SmtpException(SmtpPhase.CONNECT, Reason.CONNECTION, "connection refused");
    BulkSender sender = new BulkSender(vertx.getOrCreateContext(), 20_000, 2, () -> Future.failedFuture(refused));

    Summary summary = await(sender.run());

    assertThat(summary.failed()).isEqualTo(20_000);
    assertThat(summary.toJsonLine()).contains("\"count\":20000");
  }

  @Test
  void aSendThatThrowsOnItsInputCountsAsInvalid() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    BulkSender sender = new BulkSender(vertx.getOrCreateContext(), 4, 2, () -> {
      if (calls.incrementAndGet() % 2 == 0) {
        throw new IllegalArgumentException("bad address");
      }
      return Future.succeededFuture(OK);
    });

    Summary summary = await(sender.run());

    assertThat(summary.delivered()).isEqualTo(2);
    assertThat(summary.invalid()).as("a send that throws on its input is invalid input, not rejected").isEqualTo(2);
    assertThat(summary.rejected()).isZero();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
