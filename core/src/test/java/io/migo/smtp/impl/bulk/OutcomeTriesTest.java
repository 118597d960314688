package io.migo.smtp.impl.bulk;

import io.migo.smtp.BulkOptions;
import io.migo.smtp.RetryPolicy;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A bulk outcome says how often its message was tried and how often the relay's throttling deferred it. */
class OutcomeTriesTest extends ScriptedClientTestBase {

  private static final Step TOO_MUCH_MAIL = Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
    .reply("450 4.7.1 Error: too much mail from 127.0.0.1", "503 5.5.1 Error: need MAIL command",
      "503 5.5.1 Error: need MAIL command");

  @Test
  void deferralsAreCountedApartFromAttempts() {
    server.script(greeting(), ehloPipelining(), TOO_MUCH_MAIL,
      Step.on("RSET", "MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.0.0 Ok", "450 4.7.1 Error: too much mail from 127.0.0.1", "503 5.5.1 Error: need MAIL command",
          "503 5.5.1 Error: need MAIL command"),
      Step.on("RSET", "MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.0.0 Ok", "250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>"),
      queued(), quit());
    start(plainOptions(listen()));

    SendOutcome outcome = sendOneInBulk();

    assertThat(outcome.status()).isEqualTo(Status.DELIVERED);
    assertThat(outcome.attempts()).isEqualTo(1);
    assertThat(outcome.deferrals()).isEqualTo(2);
  }

  @Test
  void aRetryAfterATransientFailureIsASecondAttempt() {
    server.script(greeting(), ehloPipelining(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("451 4.3.0 Error: queue file write error", "503 5.5.1 Error: need MAIL command",
          "503 5.5.1 Error: need MAIL command"),
      Step.on("RSET", "MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.0.0 Ok", "250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>"),
      queued(), quit());
    start(plainOptions(listen())
      .setRetryPolicy(new RetryPolicy(3, Duration.ofMillis(1), 1.0, Duration.ofMillis(1))));

    SendOutcome outcome = sendOneInBulk();

    assertThat(outcome.status()).isEqualTo(Status.DELIVERED);
    assertThat(outcome.attempts()).isEqualTo(2);
    assertThat(outcome.deferrals()).isZero();
  }

  private SendOutcome sendOneInBulk() {
    List<SendOutcome> outcomes = new ArrayList<>();
    Promise<Void> done = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> client.sendAll(CountingSource.of(1), new BulkOptions())
      .exceptionHandler(done::tryFail)
      .endHandler(end -> done.tryComplete())
      .handler(outcomes::add));
    Await.result(done.future());
    assertThat(outcomes).hasSize(1);
    return outcomes.get(0);
  }
}
