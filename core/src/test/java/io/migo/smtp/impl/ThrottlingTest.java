package io.migo.smtp.impl;

import io.migo.smtp.Envelope;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.RetryPolicy;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SendProgress;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay sets the pace (issue 11, parts 1 and 2): throttling replies defer messages instead of failing them, the
 * client opens fewer sessions or sends more slowly, learns the relay's limits, and stops on a quota. No assertion is
 * on timing.
 */
class ThrottlingTest extends ScriptedClientTestBase {

  private static final Step TOO_MUCH_MAIL = Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
    .reply("450 4.7.1 Error: too much mail from 127.0.0.1", "503 5.5.1 Error: need MAIL command",
      "503 5.5.1 Error: need MAIL command");
  private static final Step RESET_THEN_TRANSACTION =
    Step.on("RSET", "MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
      .reply("250 2.0.0 Ok", "250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>");

  @Test
  void aDeferralUsesNoRetryAttempt() {
    server.script(greeting(), ehloPipelining(), TOO_MUCH_MAIL,
      Step.on("RSET", "MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.0.0 Ok", "450 4.7.1 Error: too much mail from 127.0.0.1", "503 5.5.1 Error: need MAIL command",
          "503 5.5.1 Error: need MAIL command"),
      RESET_THEN_TRANSACTION, queued(), quit());
    // RetryPolicy.none(): an ordinary 450 would fail at once; two deferrals later the message is delivered.
    start(plainOptions(listen()));

    SendResult result = Await.result(sendSimple());
    Await.result(client.close());

    assertThat(result.acceptedRecipients()).containsExactly("b@example.test");
    SendProgress progress = client.progress();
    assertThat(progress.delivered()).isEqualTo(1);
    assertThat(progress.throttleEvents()).isEqualTo(2);
    assertThat(progress.deferred()).as("none left deferred").isZero();
    assertThat(progress.rateLimit()).as("the relay's rate reply set a rate limit").isPositive();
    assertScriptFollowed();
  }

  @Test
  void aMessageThrottledPastTheTimeoutFailsAsThrottled() {
    server.script(greeting(), ehloPipelining(), Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>",
        "DATA").reply("454 4.7.0 Throttling failure: Maximum sending rate exceeded.",
        "503 5.5.1 Error: need MAIL command", "503 5.5.1 Error: need MAIL command"))
      .loop(Step.on("RSET", "MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA").reply("250 2.0.0 Ok",
        "454 4.7.0 Throttling failure: Maximum sending rate exceeded.", "503 5.5.1 Error: need MAIL command",
        "503 5.5.1 Error: need MAIL command"));
    start(plainOptions(listen()).setThrottleTimeout(Duration.ofMillis(1)));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.reason()).isEqualTo(Reason.THROTTLED);
    assertThat(e.replyCode()).isEqualTo(454);
    assertThat(e.getMessage()).contains("throttled", "ms", "Maximum sending rate exceeded");
    assertThat(e.delivery()).isEqualTo(SmtpException.Delivery.NOT_SENT);
    assertThat(Status.of(e)).isEqualTo(Status.FAILED);
    assertThat(server.transcript()).filteredOn(line -> line.startsWith("C: MAIL"))
      .as("one deferral after the first refusal, then the timeout has passed").hasSize(2);
  }

  @Test
  void aConnectionLimitAtTheGreetingMeansFewerSessionsAndEveryMessageIsDelivered() {
    server.script(Step.greeting("421 4.7.0 scripted.test Error: too many connections from 127.0.0.1").thenClose())
      .script(greeting(), ehloPipelining())
      .loop(simpleTransactionPipelined(), queued());
    start(plainOptions(listen()), new PoolOptions().setMaxSize(4));

    List<Future<SendResult>> sends = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sends.add(sendSimple());
    }
    sends.forEach(Await::result);

    SendProgress progress = client.progress();
    assertThat(progress.delivered()).isEqualTo(10);
    assertThat(progress.throttleEvents()).isEqualTo(1);
    assertThat(progress.sessionLimit()).as("halved from 4, not yet grown back").isLessThan(4);
    assertThat(server.connections()).as("the refused one, then one session at a time").isEqualTo(2);
    assertThat(server.messages()).hasSize(10);
  }

  @Test
  void aRecipientLimitSendsTheRestInAnotherTransaction() {
    server.script(greeting(), ehloPipelining(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b1@example.test>", "RCPT TO:<b2@example.test>",
        "RCPT TO:<b3@example.test>", "DATA")
        .reply("250 2.1.0 Ok", "250 2.1.5 Ok", "250 2.1.5 Ok", "452 4.5.3 Error: too many recipients",
          "354 End data with <CR><LF>.<CR><LF>"),
      Step.onData().reply("250 2.0.0 Ok: queued as FIRST"),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b3@example.test>", "DATA")
        .reply("250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>"),
      Step.onData().reply("250 2.0.0 Ok: queued as SECOND"), quit());
    start(plainOptions(listen()));

    SendResult result = Await.result(client.send(
      Envelope.of("a@example.test", "b1@example.test", "b2@example.test", "b3@example.test"), Buffer.buffer(MESSAGE)));
    Await.result(client.close());

    assertThat(result.acceptedRecipients()).containsExactly("b1@example.test", "b2@example.test", "b3@example.test");
    assertThat(result.rejectedRecipients()).isEmpty();
    assertThat(result.serverResponse()).contains("FIRST", "SECOND");
    assertThat(server.messages()).hasSize(2);
    assertThat(client.progress().submitted()).as("one message, however many transactions").isEqualTo(1);
    assertThat(client.progress().delivered()).isEqualTo(1);
    assertScriptFollowed();
  }

  @Test
  void aRelayThatEndsSessionsAfterTwoMessagesGetsTwoPerSession() {
    server.script(greeting(), ehloPipelining(), simpleTransactionPipelined(), queued(), simpleTransactionPipelined(),
        queued(), Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
          .reply("421 4.7.0 Too many messages in this session").thenClose())
      .script(greeting(), ehloPipelining())
      .loop(simpleTransactionPipelined(), queued());
    start(plainOptions(listen()), new PoolOptions().setMaxSize(1));

    for (int i = 0; i < 6; i++) {
      Await.result(sendSimple());
    }

    assertThat(client.progress().delivered()).isEqualTo(6);
    assertThat(server.messages()).as("the refused message was not delivered: sent again, once").hasSize(6);
    assertThat(server.transcripts()).as("2 + 2 + 2 messages").hasSize(3);
    server.transcripts().forEach(t -> assertThat(t).filteredOn(l -> l.startsWith("C: <data")).hasSizeLessThanOrEqualTo(2));
  }

  @Test
  void aQuotaReplyStopsTheJob() {
    server.script(greeting(), ehloPipelining())
      .loop(Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("550 5.4.5 Daily user sending quota exceeded.", "503 5.5.1 Error: need MAIL command",
          "503 5.5.1 Error: need MAIL command"));
    start(plainOptions(listen()).setRetryPolicy(RetryPolicy.defaults()), new PoolOptions().setMaxSize(2));

    List<Future<SendResult>> sends = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sends.add(sendSimple());
    }
    List<SmtpException> failures = new ArrayList<>();
    sends.forEach(send -> failures.add((SmtpException) Await.failure(send)));

    assertThat(failures).filteredOn(e -> e.reason() == Reason.QUOTA_EXCEEDED).as("the rest fail with the quota")
      .hasSizeGreaterThanOrEqualTo(18)
      .allSatisfy(e -> assertThat(e.getMessage()).contains("quota"));
    assertThat(server.transcript()).filteredOn(line -> line.startsWith("C: MAIL"))
      .as("at most one MAIL per session open when the quota reply came").hasSizeLessThanOrEqualTo(2);
    SmtpException later = (SmtpException) Await.failure(sendSimple());
    assertThat(later.reason()).isEqualTo(Reason.QUOTA_EXCEEDED);
    assertThat(Status.of(later)).isEqualTo(Status.FAILED);
  }
}
