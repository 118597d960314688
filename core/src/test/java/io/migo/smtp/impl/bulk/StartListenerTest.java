package io.migo.smtp.impl.bulk;

import io.migo.smtp.BulkOptions;
import io.migo.smtp.Mail;
import io.migo.smtp.RetryPolicy;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ClosedPort;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BulkOptions#setStartListener}: told once per mail, before the first command of its transaction is written,
 * and never for a mail that no session took (the cluster worker's "starting" acknowledgement rests on both).
 */
class StartListenerTest extends ScriptedClientTestBase {

  @Test
  void isToldOnceBeforeTheTransactionsFirstCommandEvenWhenTheMailIsTriedAgain() {
    server.script(greeting(), ehloPipelining(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("451 4.3.0 Error: queue file write error", "503 5.5.1 Error: need MAIL command",
          "503 5.5.1 Error: need MAIL command"),
      Step.on("RSET", "MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.0.0 Ok", "250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>"),
      queued(), quit());
    start(plainOptions(listen())
      .setRetryPolicy(new RetryPolicy(3, Duration.ofMillis(1), 1.0, Duration.ofMillis(1))));
    List<Object> started = new ArrayList<>();
    List<Boolean> mailWrittenBefore = new ArrayList<>();

    List<SendOutcome> outcomes = sendAll(new BulkOptions().setStartListener(mail -> {
      started.add(mail.correlationId());
      mailWrittenBefore.add(server.transcript().stream().anyMatch(line -> line.startsWith("C: MAIL")));
    }), 1);

    assertThat(outcomes).extracting(SendOutcome::status).containsOnly(Status.DELIVERED);
    assertThat(outcomes.get(0).attempts()).isEqualTo(2);
    assertThat(started).containsExactly(0L);
    assertThat(mailWrittenBefore).containsExactly(false);
  }

  @Test
  void isNotToldOfAMailThatNoSessionTook() throws Exception {
    try (ClosedPort closed = new ClosedPort()) {
      start(plainOptions(closed.port()));
      List<Mail> started = new ArrayList<>();

      List<SendOutcome> outcomes = sendAll(new BulkOptions().setStartListener(started::add), 1);

      assertThat(outcomes).extracting(SendOutcome::status).containsExactly(Status.FAILED);
      assertThat(started).isEmpty();
    }
  }

  private List<SendOutcome> sendAll(BulkOptions options, long count) {
    List<SendOutcome> outcomes = new ArrayList<>();
    Promise<Void> done = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> client.sendAll(CountingSource.of(count), options)
      .exceptionHandler(done::tryFail)
      .endHandler(end -> done.tryComplete())
      .handler(outcomes::add));
    Await.result(done.future());
    return outcomes;
  }
}
