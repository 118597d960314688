package io.migo.smtp.cli;

import io.migo.smtp.Envelope;
import io.migo.smtp.JournalEntry;
import io.migo.smtp.Mail;
import io.migo.smtp.RecipientRejection;
import io.migo.smtp.RecipientsRejectedException;
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

/** One line of the outcomes file per outcome: the contract's fields, whatever the status. */
class OutcomeLineTest {

  private static final List<String> FIELDS =
    List.of("id", "status", "code", "enhanced", "response", "rejected", "attempts", "deferrals");

  private static final Mail MAIL = Mail.raw(Envelope.of("a@x.test", "b@y.test"), Buffer.buffer("x"))
    .withCorrelationId(new LineId("42", 7));

  private static final RecipientRejection NO_SUCH_USER =
    new RecipientRejection("nobody@y.test", 550, "5.1.1", "<nobody@y.test>: Recipient address rejected");

  @Test
  void delivered() {
    SendOutcome outcome = SendOutcome.delivered(MAIL,
      new SendResult(null, "2.0.0 Ok: queued as 4Xk9", List.of("b@y.test"), List.of())).withTries(2, 3);

    JsonObject json = OutcomeLine.of(outcome);

    assertThat(json.fieldNames()).containsExactlyElementsOf(FIELDS);
    assertThat(json.getString("id")).isEqualTo("42");
    assertThat(json.getString("status")).isEqualTo("DELIVERED");
    assertThat(json.getInteger("code")).isEqualTo(250);
    assertThat(json.getString("enhanced")).isEqualTo("2.0.0");
    assertThat(json.getString("response")).isEqualTo("Ok: queued as 4Xk9");
    assertThat(json.getJsonArray("rejected")).isEmpty();
    assertThat(json.getInteger("attempts")).isEqualTo(2);
    assertThat(json.getInteger("deferrals")).isEqualTo(3);
  }

  @Test
  void deliveredWithoutEnhancedCode() {
    JsonObject json = OutcomeLine.of(SendOutcome.delivered(MAIL,
      new SendResult(null, "Ok: queued as 4Xk9", List.of("b@y.test"), List.of())));

    assertThat(json.getValue("enhanced")).isNull();
    assertThat(json.getString("response")).isEqualTo("Ok: queued as 4Xk9");
  }

  @Test
  void partiallyDeliveredListsTheRefusedRecipients() {
    JsonObject json = OutcomeLine.of(SendOutcome.delivered(MAIL,
      new SendResult(null, "2.0.0 Ok", List.of("b@y.test"), List.of(NO_SUCH_USER))));

    assertThat(json.getString("status")).isEqualTo("PARTIALLY_DELIVERED");
    JsonObject rejected = json.getJsonArray("rejected").getJsonObject(0);
    assertThat(rejected.fieldNames()).containsExactly("address", "code", "enhanced", "text");
    assertThat(rejected.getString("address")).isEqualTo("nobody@y.test");
    assertThat(rejected.getInteger("code")).isEqualTo(550);
    assertThat(rejected.getString("enhanced")).isEqualTo("5.1.1");
    assertThat(rejected.getString("text")).isEqualTo("<nobody@y.test>: Recipient address rejected");
  }

  @Test
  void everyRecipientRefusedIsRejectedWithEachReply() {
    JsonObject json = OutcomeLine.of(SendOutcome.failed(MAIL,
      new RecipientsRejectedException("every recipient was refused", List.of(NO_SUCH_USER))));

    assertThat(json.fieldNames()).containsExactlyElementsOf(FIELDS);
    assertThat(json.getString("status")).isEqualTo("REJECTED");
    assertThat(json.getInteger("code")).isEqualTo(550);
    assertThat(json.getJsonArray("rejected")).hasSize(1);
  }

  @Test
  void aRefusalCarriesTheServersWords() {
    JsonObject json = OutcomeLine.of(SendOutcome.failed(MAIL, new SmtpException(SmtpPhase.MAIL, Reason.REPLY,
      "sender refused", 550, "5.7.1", List.of("5.7.1 Sender not allowed"), null)));

    assertThat(json.getString("status")).isEqualTo("REJECTED");
    assertThat(json.getInteger("code")).isEqualTo(550);
    assertThat(json.getString("enhanced")).isEqualTo("5.7.1");
    assertThat(json.getString("response")).isEqualTo("Sender not allowed");
  }

  @Test
  void aFailureWithoutReplyHasCodeMinusOneAndTheClientsWords() {
    JsonObject json = OutcomeLine.of(SendOutcome.failed(MAIL,
      new SmtpException(SmtpPhase.CONNECT, Reason.CONNECTION, "connection refused: 127.0.0.1:1")));

    assertThat(json.getString("status")).isEqualTo("FAILED");
    assertThat(json.getInteger("code")).isEqualTo(-1);
    assertThat(json.getValue("enhanced")).isNull();
    assertThat(json.getString("response")).isEqualTo("connection refused: 127.0.0.1:1");
  }

  @Test
  void skippedCarriesTheJournaledReplyAndPreviousStatus() {
    JsonObject json = OutcomeLine.of(SendOutcome.skipped(MAIL,
      new JournalEntry("42", Status.DELIVERED, 250, "2.0.0", "Ok: queued as OLD")));

    assertThat(json.fieldNames()).containsAll(FIELDS).contains("previous");
    assertThat(json.getString("status")).isEqualTo("SKIPPED");
    assertThat(json.getInteger("code")).isEqualTo(250);
    assertThat(json.getString("enhanced")).isEqualTo("2.0.0");
    assertThat(json.getString("response")).isEqualTo("Ok: queued as OLD");
    assertThat(json.getString("previous")).isEqualTo("DELIVERED");
    assertThat(json.getInteger("attempts")).isZero();
  }

  @Test
  void unknownLeftInFlightByAnEarlierRunSaysSo() {
    SmtpException inFlight = new SmtpException(SmtpPhase.MESSAGE, Reason.IN_FLIGHT_BEFORE,
      "in flight when an earlier run stopped; not sent again");
    SendOutcome outcome = new SendOutcome(MAIL, Status.UNKNOWN, null, inFlight, 0, 0,
      new JournalEntry("42", null, 0, null, null));

    JsonObject json = OutcomeLine.of(outcome);

    assertThat(json.getString("status")).isEqualTo("UNKNOWN");
    assertThat(json.getString("previous")).isEqualTo("IN_FLIGHT");
    assertThat(json.getString("response")).contains("earlier run");
  }

  @Test
  void inputTheClientRefusedIsInvalidWithItsLine() {
    JsonObject json = OutcomeLine.of(SendOutcome.failed(MAIL,
      new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT, "header Subject contains a LF character")));

    assertThat(json.getString("status")).isEqualTo("INVALID");
    assertThat(json.getLong("line")).isEqualTo(7);
    assertThat(json.getString("reason")).isEqualTo("header Subject contains a LF character");
    assertThat(json.getInteger("attempts")).isZero();
  }

  @Test
  void anInvalidLine() {
    JsonObject json = OutcomeLine.invalid(new InputParser.Invalid(3, null, "no id"));

    assertThat(json.fieldNames()).containsExactly("id", "status", "code", "enhanced", "response", "rejected",
      "attempts", "deferrals", "line", "reason");
    assertThat(json.getValue("id")).isNull();
    assertThat(json.getString("status")).isEqualTo("INVALID");
    assertThat(json.getInteger("code")).isEqualTo(-1);
    assertThat(json.getLong("line")).isEqualTo(3);
    assertThat(json.getString("reason")).isEqualTo("no id");
  }
}
