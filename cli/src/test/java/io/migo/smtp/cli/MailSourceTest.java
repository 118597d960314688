package io.migo.smtp.cli;

import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailSourceTest {

  private static final Mail MAIL = Mail.raw(Envelope.of("a@example.com", "b@example.com"), Buffer.buffer("x"));

  private int made;
  private final Supplier<Mail> factory = () -> {
    made++;
    return MAIL.withCorrelationId(made);
  };

  @Test
  void makesMessagesOnlyAsTheyAreFetched() {
    MailSource source = new MailSource(factory, 10);
    List<Object> got = new ArrayList<>();
    source.handler(m -> got.add(m.correlationId()));

    assertThat(made).as("nothing before a fetch").isZero();
    source.fetch(3);
    assertThat(got).containsExactly(1, 2, 3);
    source.fetch(2);
    assertThat(got).containsExactly(1, 2, 3, 4, 5);
    assertThat(made).isEqualTo(5);
  }

  @Test
  void endsOnceAfterCountAndMakesNoMore() {
    MailSource source = new MailSource(factory, 3);
    int[] ends = {0};
    source.endHandler(v -> ends[0]++);
    source.handler(m -> { });

    source.fetch(2);
    assertThat(ends[0]).isZero();
    source.fetch(100);
    source.fetch(100);
    source.resume();

    assertThat(made).isEqualTo(3);
    assertThat(ends[0]).isEqualTo(1);
  }

  @Test
  void pauseStopsAnUnboundedDemand() {
    MailSource source = new MailSource(factory, 10);
    source.handler(m -> {
      if (made == 4) {
        source.pause();
      }
    });

    source.resume();

    assertThat(made).isEqualTo(4);
  }

  /**
   * A send that fails at once frees its place in the window, and the bulk send asks for the next message from
   * inside the handler. That must loop, not nest: a hundred thousand refused messages would overflow the stack.
   */
  @Test
  void aFetchFromTheHandlerDoesNotNest() {
    MailSource source = new MailSource(factory, 100_000);
    int[] depth = {Integer.MAX_VALUE, 0};
    source.handler(m -> {
      int d = Thread.currentThread().getStackTrace().length;
      depth[0] = Math.min(depth[0], d);
      depth[1] = Math.max(depth[1], d);
      source.fetch(1);
    });

    source.fetch(1);

    assertThat(made).isEqualTo(100_000);
    assertThat(depth[1]).as("deepest stack").isEqualTo(depth[0]);
  }

  @Test
  void aNegativeFetchIsRefused() {
    assertThatThrownBy(() -> new MailSource(factory, 1).fetch(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
