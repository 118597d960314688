package io.migo.smtp.impl.bulk;

import io.migo.smtp.Mail;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendResult;
import io.migo.smtp.impl.ClientContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Future-side bulk stream against a fake sender whose completions the test controls: no network, so every
 * count is exact. Everything runs on one context, as in the client.
 */
@ExtendWith(VertxExtension.class)
class BulkSendTest {

  private static final SendResult OK = new SendResult(null, "250 ok", List.of("b@example.test"), List.of());

  private Vertx vertx;
  private ClientContext clientContext;
  private Context context;
  private final List<Promise<SendOutcome>> pending = new ArrayList<>();
  private int inFlight;
  private int maxInFlight;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.clientContext = ClientContext.of(vertx);
    this.context = clientContext.context();
  }

  /** A sender that completes only when the test says so, tracking how many sends are open at once. */
  private Function<Mail, Future<SendOutcome>> heldSender() {
    return mail -> {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      Promise<SendOutcome> p = Promise.promise();
      pending.add(p);
      return p.future().andThen(ar -> inFlight--);
    };
  }

  /**
   * A sender that completes each send asynchronously, on a later turn of the context's event loop: no clock, so the
   * order of events is the same on any machine.
   */
  private Function<Mail, Future<SendOutcome>> laterSender() {
    return mail -> {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      Promise<SendOutcome> p = Promise.promise();
      context.runOnContext(v -> {
        inFlight--;
        p.complete(SendOutcome.delivered(mail, OK));
      });
      return p.future();
    };
  }

  @Test
  void anEndlessSourceIsReadOnlyAsSendsComplete(VertxTestContext test) {
    CountingSource source = CountingSource.endless();
    List<Long> ids = new ArrayList<>();
    context.runOnContext(v -> {
      BulkSend outcomes = new BulkSend(clientContext, source, laterSender(), 3, false);
      outcomes.handler(o -> {
        ids.add((Long) o.mail().correlationId());
        // Never more read than completed plus the places in flight.
        test.verify(() -> assertThat(source.emitted()).isLessThanOrEqualTo(ids.size() + 3));
        if (ids.size() == 200) {
          outcomes.pause();
          test.verify(() -> {
            assertThat(maxInFlight).isEqualTo(3);
            assertThat(source.calls).first().isEqualTo("pause");
            assertThat(source.calls).doesNotContain("resume");
            assertThat(ids).doesNotHaveDuplicates();
          });
          test.completeNow();
        }
      });
    });
  }

  @Test
  void aPausedConsumerStopsTheReadingOnceConcurrencyOutcomesWait(VertxTestContext test) {
    CountingSource source = CountingSource.endless();
    context.runOnContext(v -> {
      BulkSend outcomes = new BulkSend(clientContext, source, mail -> Future.succeededFuture(SendOutcome.delivered(mail, OK)),
        4, false);
      List<SendOutcome> seen = new ArrayList<>();
      outcomes.pause();
      outcomes.handler(seen::add);
      // The sender completes at once, so everything has settled by now: four outcomes wait, nothing more is read.
      test.verify(() -> {
        assertThat(seen).isEmpty();
        assertThat(source.emitted()).isEqualTo(4);
        assertThat(source.fetched()).isEqualTo(4);
      });
      outcomes.fetch(1);
      test.verify(() -> {
        assertThat(seen).hasSize(1);
        assertThat(source.emitted()).isEqualTo(5);
      });
      test.completeNow();
    });
  }

  @Test
  void aLongRunOfInstantSendsNeitherGrowsTheStackNorReadsAhead(VertxTestContext test) {
    // A synchronous source and sends that complete at once: fetch → send → emit → fetch must loop, not nest.
    CountingSource source = CountingSource.endless();
    long[] seen = {0};
    context.runOnContext(v -> {
      BulkSend outcomes = new BulkSend(clientContext, source, mail -> Future.succeededFuture(SendOutcome.delivered(mail, OK)),
        4, true);
      outcomes.handler(o -> {
        if (++seen[0] == 200_000) {
          outcomes.pause();
        }
      });
      test.verify(() -> {
        assertThat(seen[0]).isEqualTo(200_000);
        assertThat(source.emitted()).isLessThanOrEqualTo(200_000 + 4);
      });
      test.completeNow();
    });
  }

  @Test
  void anEmptySourceEndsTheStreamOnceItStarts(VertxTestContext test) {
    context.runOnContext(v -> {
      BulkSend outcomes = new BulkSend(clientContext, CountingSource.of(0), heldSender(), 2, false);
      outcomes.endHandler(end -> test.completeNow());
      outcomes.handler(o -> test.failNow("no mail, no outcome"));
    });
  }

  @Test
  void orderedModeEmitsInInputOrderWhateverOrderSendsCompleteIn(VertxTestContext test) {
    CountingSource source = CountingSource.of(6);
    List<Long> ids = new ArrayList<>();
    context.runOnContext(v -> {
      BulkSend outcomes = new BulkSend(clientContext, source, heldSender(), 3, true);
      outcomes.handler(o -> ids.add((Long) o.mail().correlationId()));
      outcomes.endHandler(end -> test.verify(() -> {
        assertThat(ids).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        test.completeNow();
      }));
      test.verify(() -> assertThat(pending).hasSize(3));
      // The last two of the first three complete first: held back, and still holding their places.
      complete(2);
      complete(1);
      test.verify(() -> {
        assertThat(ids).isEmpty();
        assertThat(pending).hasSize(3);
      });
      complete(0);
      test.verify(() -> {
        assertThat(ids).containsExactly(0L, 1L, 2L);
        assertThat(pending).hasSize(6);
      });
      complete(5);
      complete(3);
      complete(4);
    });
  }

  @Test
  void anUpstreamFailureComesAfterTheSendsInFlightThenTheEnd(VertxTestContext test) {
    IllegalStateException boom = new IllegalStateException("source broke");
    CountingSource source = CountingSource.failingAfter(2, boom);
    List<String> events = new ArrayList<>();
    context.runOnContext(v -> {
      BulkSend outcomes = new BulkSend(clientContext, source, heldSender(), 3, false);
      outcomes.exceptionHandler(t -> events.add("error " + t.getMessage()));
      outcomes.endHandler(end -> {
        events.add("end");
        test.verify(() -> assertThat(events).containsExactly("outcome 1", "outcome 0", "error source broke", "end"));
        test.completeNow();
      });
      outcomes.handler(o -> events.add("outcome " + o.mail().correlationId()));
      test.verify(() -> assertThat(events).isEmpty());
      complete(1);
      complete(0);
    });
  }

  @Test
  void aFailedSendIsAnOutcomeAndTheStreamGoesOn(VertxTestContext test) {
    CountingSource source = CountingSource.of(3);
    List<SendOutcome> seen = new ArrayList<>();
    context.runOnContext(v -> {
      BulkSend outcomes = new BulkSend(clientContext, source, mail -> (Long) mail.correlationId() == 1
        ? Future.failedFuture(new RuntimeException("bug"))
        : Future.succeededFuture(SendOutcome.delivered(mail, OK)), 2, true);
      // The end handler first: with sends that complete at once, the whole stream runs inside handler().
      outcomes.endHandler(end -> test.verify(() -> {
        // A bug (an exception the protocol layer did not make) may have struck after the message went out.
        assertThat(seen).extracting(SendOutcome::status).containsExactly(SendOutcome.Status.DELIVERED,
          SendOutcome.Status.UNKNOWN, SendOutcome.Status.DELIVERED);
        assertThat(seen.get(1).error()).hasMessageContaining("bug");
        test.completeNow();
      }));
      outcomes.handler(seen::add);
    });
  }

  private void complete(int index) {
    Promise<SendOutcome> p = pending.get(index);
    p.complete(SendOutcome.delivered(CountingSource.mail(index), OK));
  }
}
