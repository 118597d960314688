package io.migo.smtp.cli;

import io.migo.smtp.Envelope;
import io.migo.smtp.JournalEntry;
import io.migo.smtp.Mail;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BulkSummaryTest {

  private static final Mail MAIL = Mail.raw(Envelope.of("a@x.test", "b@y.test"), Buffer.buffer("x"));
  private static final SendResult OK = new SendResult(null, "2.0.0 Ok", List.of("b@y.test"), List.of());

  private static SendOutcome delivered() {
    return SendOutcome.delivered(MAIL, OK);
  }

  private static SendOutcome skipped(Status previous) {
    return SendOutcome.skipped(MAIL, new JournalEntry("1", previous, 250, "2.0.0", "Ok"));
  }

  private static SendOutcome failed() {
    return SendOutcome.failed(MAIL, new SmtpException(SmtpPhase.CONNECT, Reason.CONNECTION, "connection refused"));
  }

  @Test
  void jsonIsSendsFieldsThenTheJobs() {
    BulkSummary summary = new BulkSummary();
    summary.record(delivered().withTries(1, 2));
    summary.record(delivered());
    summary.record(skipped(Status.DELIVERED));
    summary.record(failed());
    summary.recordInvalid(new InputParser.Invalid(5, null, "no id"));
    summary.finish(2.0, 7);

    JsonObject json = new JsonObject(summary.toJsonLine());

    assertThat(json.fieldNames()).containsExactly("messages", "delivered", "partially_delivered", "rejected",
      "invalid", "failed", "unknown", "seconds", "msgs_per_sec", "errors", "skipped", "throttled", "deferred");
    assertThat(json.getInteger("messages")).as("every input line").isEqualTo(5);
    assertThat(json.getInteger("delivered")).isEqualTo(2);
    assertThat(json.getInteger("skipped")).isEqualTo(1);
    assertThat(json.getInteger("failed")).isEqualTo(1);
    assertThat(json.getInteger("invalid")).isEqualTo(1);
    assertThat(json.getInteger("throttled")).isEqualTo(7);
    assertThat(json.getInteger("deferred")).as("messages deferred at least once").isEqualTo(1);
    assertThat(json.getDouble("msgs_per_sec")).isEqualTo(1.0);
    assertThat(json.getJsonArray("errors")).extracting(e -> ((JsonObject) e).getString("message"))
      .containsExactly("connection refused", "line 5: no id");
  }

  @Test
  void deliveredNowOrBeforeIsDone() {
    BulkSummary summary = new BulkSummary();
    summary.record(delivered());
    summary.record(skipped(Status.DELIVERED));
    summary.finish(1, 0);
    assertThat(summary.allDelivered()).isTrue();
  }

  @Test
  void anEmptyInputIsDone() {
    BulkSummary summary = new BulkSummary();
    summary.finish(0, 0);
    assertThat(summary.allDelivered()).isTrue();
    assertThat(new JsonObject(summary.toJsonLine()).getInteger("messages")).isZero();
  }

  @Test
  void skippedAfterARejectionIsNotDone() {
    BulkSummary summary = new BulkSummary();
    summary.record(delivered());
    summary.record(skipped(Status.REJECTED));
    assertThat(summary.allDelivered()).isFalse();
  }

  @Test
  void partialDeliveryIsNotDone() {
    BulkSummary summary = new BulkSummary();
    summary.record(SendOutcome.delivered(MAIL, new SendResult(null, "2.0.0 Ok", List.of("b@y.test"),
      List.of(new io.migo.smtp.RecipientRejection("c@y.test", 550, "5.1.1", "no such user")))));
    assertThat(summary.allDelivered()).isFalse();
  }

  @Test
  void anInvalidLineIsNotDone() {
    BulkSummary summary = new BulkSummary();
    summary.record(delivered());
    summary.recordInvalid(new InputParser.Invalid(2, "2", "recipient has no '@'"));
    assertThat(summary.allDelivered()).isFalse();
  }

  @Test
  void aProblemWithTheJobIsNotDoneEvenWhenEveryMessageWasDelivered() {
    BulkSummary summary = new BulkSummary();
    summary.record(delivered());
    summary.recordProblem("cannot read the input after line 1: device gone");
    summary.finish(1, 0);
    assertThat(summary.allDelivered()).isFalse();
    assertThat(summary.toText()).contains("problem: cannot read the input after line 1: device gone\n");
  }

  @Test
  void textSaysWhatWasSkippedAndThrottled() {
    BulkSummary summary = new BulkSummary();
    summary.record(delivered().withTries(1, 1));
    summary.record(skipped(Status.DELIVERED));
    summary.recordInvalid(new InputParser.Invalid(3, null, "no id"));
    summary.finish(1.0, 2);

    assertThat(summary.toText())
      .startsWith("sent 1/3 messages in 1.00 s (1.0 msgs/s): 1 delivered, 1 invalid (refused before sending: fix the "
        + "input), 1 skipped (ended in an earlier run)\n")
      .contains("throttling: the relay asked to slow down 2 times; 1 messages were deferred\n")
      .contains("errors:\n  INPUT: line 3: no id\n");
  }
}
