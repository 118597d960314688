package io.migo.smtp.impl.session;

import io.migo.smtp.PoolOptions;
import io.migo.smtp.RetryPolicy;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The retry policy: transient refusals that leave nothing delivered are tried again with backoff; nothing else. */
class RetryTest extends ScriptedClientTestBase {

  private static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ofMillis(20), 2, Duration.ofSeconds(1));

  @Test
  void aTransientMailRefusalIsRetriedWithBackoffOnTheSameSession() {
    server.script(greeting(), ehloPipelining(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("451 4.3.0 Try again later", "503 5.5.1 need MAIL", "503 5.5.1 need MAIL"),
      Step.on("RSET", "MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 Ok", "451 4.3.0 Try again later", "503 5.5.1 need MAIL", "503 5.5.1 need MAIL"),
      Step.on("RSET", "MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 Ok", "250 2.1.0 Ok", "250 2.1.5 Ok", "354 go ahead"),
      queued(), quit());
    start(plainOptions(listen()).setRetryPolicy(QUICK), new PoolOptions().setMaxSize(1));

    SendResult result = Await.result(sendSimple());

    assertThat(result.serverResponse()).contains("queued");
    assertScriptFollowed();
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void attemptsStopAtTheLimitWithTheLastRefusal() {
    server.script(greeting(), ehloPipelining(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.1.0 Ok", "452 4.2.2 Mailbox full", "554 5.5.1 no valid recipients"))
      .loop(Step.on("RSET", "MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 Ok", "250 2.1.0 Ok", "452 4.2.2 Mailbox full", "554 5.5.1 no valid recipients"));
    start(plainOptions(listen()).setRetryPolicy(QUICK), new PoolOptions().setMaxSize(1));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.RCPT);
    assertThat(e.replyCode()).isEqualTo(452);
    assertThat(server.transcript()).filteredOn(line -> line.startsWith("C: MAIL")).hasSize(3);
  }

  @Test
  void aPermanentRefusalIsNeverRetried() {
    server.script(greeting(), ehloPipelining(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.1.0 Ok", "550 5.1.1 User unknown", "554 5.5.1 no valid recipients"),
      quit());
    start(plainOptions(listen()).setRetryPolicy(QUICK));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.replyCode()).isEqualTo(550);
    assertThat(server.transcript()).filteredOn(line -> line.startsWith("C: MAIL")).hasSize(1);
  }

  @Test
  void anUnknownOutcomeIsNeverRetried() {
    server.script(greeting(), ehloPipelining(), simpleTransactionPipelined(), Step.onData().thenClose());
    start(plainOptions(listen()).setRetryPolicy(QUICK));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.DATA_END);
    assertThat(server.connections()).isEqualTo(1);
    assertThat(server.messages()).hasSize(1);
  }
}
