package io.migo.smtp.impl.session;

import io.migo.smtp.Envelope;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.TlsMode;
import io.migo.smtp.impl.ClientContext;
import io.migo.smtp.impl.OutgoingMessage;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.CountingSink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Collection;

import static org.assertj.core.api.Assertions.assertThat;

/** Large messages to a slow reader: every slice waits for the socket to drain, and that must leave nothing behind. */
@ExtendWith(VertxExtension.class)
class WriteBackpressureTest {

  private static final int MESSAGE_BYTES = 4 * 1024 * 1024;

  @Test
  void backPressuredWritesAddNoListenersToTheSession(Vertx vertx) throws Exception {
    CountingSink sink = new CountingSink(vertx, 8).slowReader();
    int port = Await.result(sink.start());
    ClientContext context = ClientContext.of(vertx);
    SmtpClientOptions options = new SmtpClientOptions().setHost("127.0.0.1").setPort(port).setTlsMode(TlsMode.NONE)
      .setDataTimeout(Duration.ofMinutes(5)).setCommandTimeout(Duration.ofMinutes(5));
    SessionFactory factory = new SessionFactory(vertx, context, new SessionSettings(options, "client.example"));
    Session session = Await.result(context.submit(factory::open));
    int before = listeners(session.closeFuture());

    for (int seq = 0; seq < 4; seq++) {
      OutgoingMessage message = new OutgoingMessage(Envelope.of("a@example.test", "b@example.test"), bigMessage(seq),
        null);
      Await.result(context.submit(() -> session.send(message)));
    }

    assertThat(sink.timesAccepted(3)).as("the messages arrived").isEqualTo(1);
    assertThat(listeners(session.closeFuture())).as("listeners on the session's close future").isEqualTo(before);
    Await.result(context.submit(session::quit));
    Await.result(factory.close().compose(v -> sink.stop()));
  }

  private static Buffer bigMessage(int seq) {
    Buffer b = Buffer.buffer(MESSAGE_BYTES + 100).appendString("X-Seq: " + seq + "\r\nSubject: big\r\n\r\n");
    String line = "x".repeat(76) + "\r\n";
    while (b.length() < MESSAGE_BYTES) {
      b.appendString(line);
    }
    return b;
  }

  /** Vert.x keeps one listener in a field and several in a list: the count, read from its future implementation. */
  private static int listeners(Future<?> future) throws ReflectiveOperationException {
    Class<?> type = future.getClass();
    Field field = null;
    while (field == null && type != null) {
      try {
        field = type.getDeclaredField("listener");
      } catch (NoSuchFieldException e) {
        type = type.getSuperclass();
      }
    }
    assertThat(field).as("Vert.x's future keeps its listeners in a field named 'listener'").isNotNull();
    field.setAccessible(true);
    Object value = field.get(future);
    return value == null ? 0 : value instanceof Collection<?> c ? c.size() : 1;
  }
}
