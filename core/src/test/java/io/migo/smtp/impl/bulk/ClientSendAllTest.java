package io.migo.smtp.impl.bulk;

import io.migo.smtp.BulkOptions;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SendProgress;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.streams.ReadStream;
import io.migo.smtp.testkit.Await;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Future-side {@code sendAll} through a real client and the scripted server. */
class ClientSendAllTest extends ScriptedClientTestBase {

  @Test
  void sendsEveryMailOfAStreamWithinThePoolAndEndsAfterTheLastOutcome() {
    server.script(greeting(), ehloPipelining()).loop(simpleTransactionPipelined(), queued());
    start(plainOptions(listen()), new PoolOptions().setMaxSize(2));
    CountingSource source = CountingSource.of(30);
    List<SendOutcome> outcomes = new ArrayList<>();
    List<Long> inFlight = new ArrayList<>();
    Promise<Void> done = Promise.promise();
    Context context = vertx.getOrCreateContext();

    context.runOnContext(v -> {
      ReadStream<SendOutcome> stream = client.sendAll(source, new BulkOptions().setOrdered(true));
      stream.exceptionHandler(done::tryFail);
      stream.endHandler(end -> done.tryComplete());
      stream.handler(o -> {
        outcomes.add(o);
        inFlight.add(client.progress().inFlight());
      });
    });
    Await.result(done.future());

    assertThat(outcomes).extracting(o -> o.mail().correlationId())
      .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 30).boxed().toList());
    assertThat(outcomes).allMatch(o -> o.status() == Status.DELIVERED);
    assertThat(inFlight).allMatch(n -> n <= 2);
    // The default concurrency is the pool size: the source was asked for two at first, then one per outcome.
    assertThat(source.calls).first().isEqualTo("pause");
    assertThat(source.calls).contains("fetch 2").doesNotContain("resume");
    SendProgress progress = client.progress();
    assertThat(progress.submitted()).isEqualTo(30);
    assertThat(progress.delivered()).isEqualTo(30);
    assertThat(progress.inFlight()).isZero();
    assertThat(progress.completed()).isEqualTo(30);
    assertScriptFollowed();
  }
}
