package io.migo.smtp.cli;

import io.migo.smtp.RecipientRejection;
import io.migo.smtp.RecipientsRejectedException;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SummaryTest {

  private static final SendResult DELIVERED = new SendResult("<1@example.com>", "2.0.0 Ok: queued as ABC",
    List.of("a@example.com"), List.of());

  private static final RecipientRejection NO_SUCH_USER =
    new RecipientRejection("nobody@example.com", 550, "5.1.1", "<nobody@example.com>: Recipient address rejected");

  private static final SendResult PARTIAL = new SendResult("<2@example.com>", "2.0.0 Ok: queued as DEF",
    List.of("a@example.com"), List.of(NO_SUCH_USER));

  private static SmtpException authFailed() {
    return new SmtpException(SmtpPhase.AUTH, Reason.AUTHENTICATION_FAILED, "authentication failed", 535, "5.7.8",
      List.of("5.7.8 Error: authentication failed"), null);
  }

  @Test
  void jsonHasExactlyTheSpecifiedShape() {
    Summary summary = new Summary(4);
    summary.recordSuccess(DELIVERED);
    summary.recordSuccess(PARTIAL);
    summary.recordFailure(authFailed());
    summary.recordFailure(authFailed());
    summary.finish(2.0);

    String line = summary.toJsonLine();
    assertThat(line).doesNotContain("\n");
    JsonObject json = new JsonObject(line);
    assertThat(json.fieldNames()).containsExactly("messages", "delivered", "partially_delivered", "rejected",
      "invalid", "failed", "unknown", "seconds", "msgs_per_sec", "errors");
    assertThat(json.getInteger("messages")).isEqualTo(4);
    assertThat(json.getInteger("delivered")).isEqualTo(1);
    assertThat(json.getInteger("partially_delivered")).isEqualTo(1);
    assertThat(json.getInteger("failed")).isEqualTo(2);
    assertThat(json.getDouble("seconds")).isEqualTo(2.0);
    assertThat(json.getDouble("msgs_per_sec")).isEqualTo(1.0);

    JsonArray errors = json.getJsonArray("errors");
    assertThat(errors).hasSize(2);
    JsonObject rcpt = errors.getJsonObject(0);
    assertThat(rcpt.fieldNames()).containsExactly("phase", "code", "enhanced", "message", "detail", "count");
    assertThat(rcpt.getString("phase")).isEqualTo("RCPT");
    assertThat(rcpt.getInteger("code")).isEqualTo(550);
    assertThat(rcpt.getString("enhanced")).isEqualTo("5.1.1");
    assertThat(rcpt.getString("message")).isEqualTo("<nobody@example.com>: Recipient address rejected");
    assertThat(rcpt.getValue("detail")).as("a refused recipient has only the server's words").isNull();
    assertThat(rcpt.getInteger("count")).isEqualTo(1);
    JsonObject auth = errors.getJsonObject(1);
    assertThat(auth.getString("phase")).isEqualTo("AUTH");
    assertThat(auth.getInteger("code")).isEqualTo(535);
    assertThat(auth.getString("enhanced")).isEqualTo("5.7.8");
    // The enhanced code has its own field; the message does not repeat it.
    assertThat(auth.getString("message")).isEqualTo("Error: authentication failed");
    assertThat(auth.getString("detail")).isEqualTo(authFailed().getMessage());
    assertThat(auth.getInteger("count")).isEqualTo(2);
  }

  @Test
  void inputTheClientRefusedIsInvalidNotRejected() {
    Summary summary = new Summary(3);
    summary.recordFailure(new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT,
      "recipient has two '@': bob@@example.com"));
    summary.recordFailure(new SmtpException(SmtpPhase.AUTH, Reason.INVALID_INPUT,
      "PLAIN: the user name must not contain NUL"));
    summary.recordFailure(new SmtpException(SmtpPhase.MAIL, Reason.REPLY, "sender refused", 550, "5.7.1",
      List.of("5.7.1 Sender not allowed"), null));
    summary.finish(1);

    JsonObject json = new JsonObject(summary.toJsonLine());
    assertThat(json.getInteger("invalid")).isEqualTo(2);
    assertThat(json.getInteger("rejected")).as("only the server's refusal").isEqualTo(1);
    assertThat(json.getInteger("failed")).isZero();
    assertThat(summary.toText()).contains(": 0 delivered, 1 rejected, 2 invalid (refused before sending: fix the input)")
      .contains("  INPUT: recipient has two '@': bob@@example.com\n");
  }

  @Test
  void theErrorLineIsTheLibrarysWholeMessageWithItsAdvice() {
    SmtpException refused = new SmtpException(SmtpPhase.AUTH, Reason.AUTHENTICATION_FAILED,
      "the server refused the credentials with PLAIN: Error: authentication failed", 535, "5.7.8",
      List.of("5.7.8 Error: authentication failed"), null);
    SmtpException advised = new SmtpException(SmtpPhase.GREETING, Reason.TIMEOUT,
      "no greeting within 30 s; the port may expect TLS from the first byte: use --tls implicit");
    Summary summary = new Summary(2);
    summary.recordFailure(refused);
    summary.recordFailure(advised);
    summary.finish(1);

    assertThat(summary.toText()).contains("errors:\n"
      + "  AUTH: the server refused the credentials with PLAIN: Error: authentication failed [535 5.7.8]\n"
      + "  GREETING: no greeting within 30 s; the port may expect TLS from the first byte: use --tls implicit\n");
    JsonArray errors = new JsonObject(summary.toJsonLine()).getJsonArray("errors");
    assertThat(errors.getJsonObject(1).getString("detail")).isEqualTo(advised.getMessage());
  }

  @Test
  void failureWithoutReplyHasCodeMinusOneAndNullEnhanced() {
    Summary summary = new Summary(1);
    summary.recordFailure(new SmtpException(SmtpPhase.CONNECT, Reason.CONNECTION,
      "connection refused: localhost/127.0.0.1:2525"));
    summary.finish(0.5);

    JsonObject error = new JsonObject(summary.toJsonLine()).getJsonArray("errors").getJsonObject(0);
    assertThat(error.getString("phase")).isEqualTo("CONNECT");
    assertThat(error.getInteger("code")).isEqualTo(-1);
    assertThat(error.containsKey("enhanced")).isTrue();
    assertThat(error.getValue("enhanced")).isNull();
    // The phase has its own field; the message does not repeat it.
    assertThat(error.getString("message")).isEqualTo("connection refused: localhost/127.0.0.1:2525");
  }

  @Test
  void multiLineReplyIsJoinedWithoutRepeatedEnhancedCodes() {
    Summary summary = new Summary(1);
    summary.recordFailure(new SmtpException(SmtpPhase.DATA_END, Reason.REPLY, "message refused", 554, "5.7.1",
      List.of("5.7.1 Message rejected:", "5.7.1 spam score too high", ""), null));
    summary.finish(1);

    JsonObject error = new JsonObject(summary.toJsonLine()).getJsonArray("errors").getJsonObject(0);
    assertThat(error.getString("message")).isEqualTo("Message rejected: spam score too high");
  }

  @Test
  void everyRecipientRefusedListsEachRefusal() {
    RecipientRejection other = new RecipientRejection("ghost@example.com", 450, "4.2.0", "mailbox busy");
    Summary summary = new Summary(1);
    summary.recordFailure(new RecipientsRejectedException("every recipient was refused", List.of(NO_SUCH_USER, other)));
    summary.finish(1);

    JsonObject json = new JsonObject(summary.toJsonLine());
    assertThat(json.getInteger("rejected")).as("a permanent refusal among them makes it rejected").isEqualTo(1);
    assertThat(json.getJsonArray("errors")).hasSize(2);
    assertThat(json.getJsonArray("errors").getJsonObject(1).getInteger("code")).isEqualTo(450);
  }

  @Test
  void otherExceptionsHaveNullPhase() {
    Summary summary = new Summary(1);
    summary.recordFailure(new IllegalArgumentException("invalid address"));
    summary.finish(1);

    JsonObject error = new JsonObject(summary.toJsonLine()).getJsonArray("errors").getJsonObject(0);
    assertThat(error.getValue("phase")).isNull();
    assertThat(error.getInteger("code")).isEqualTo(-1);
    assertThat(error.getString("message")).isEqualTo("invalid address");
  }

  @Test
  void errorsAreDeduplicatedAndCappedAtTen() {
    Summary summary = new Summary(45);
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 15; i++) {
        summary.recordFailure(new SmtpException(SmtpPhase.MAIL, Reason.REPLY, "sender refused", 451, "4.3.0",
          List.of("temporary failure " + i), null));
      }
    }
    summary.finish(1);

    JsonObject json = new JsonObject(summary.toJsonLine());
    assertThat(json.getInteger("failed")).isEqualTo(45);
    JsonArray errors = json.getJsonArray("errors");
    assertThat(errors).hasSize(Summary.MAX_ERRORS);
    for (int i = 0; i < errors.size(); i++) {
      assertThat(errors.getJsonObject(i).getString("message")).isEqualTo("temporary failure " + i);
      assertThat(errors.getJsonObject(i).getInteger("count")).isEqualTo(3);
    }
  }

  @Test
  void zeroSecondsGivesZeroRateNotInfinity() {
    Summary summary = new Summary(1);
    summary.recordSuccess(DELIVERED);
    summary.finish(0);
    assertThat(new JsonObject(summary.toJsonLine()).getDouble("msgs_per_sec")).isZero();
  }

  @Test
  void textForOneDeliveredMessage() {
    Summary summary = new Summary(1);
    summary.recordSuccess(DELIVERED);
    summary.finish(0.21);

    assertThat(summary.allDelivered()).isTrue();
    assertThat(summary.toText()).isEqualTo("""
      sent 1/1 messages in 0.21 s (4.8 msgs/s): 1 delivered
      server response: 2.0.0 Ok: queued as ABC
      message-id: <1@example.com>
      """);
  }

  @Test
  void textListsOutcomesAndErrors() {
    Summary summary = new Summary(3);
    summary.recordSuccess(DELIVERED);
    summary.recordSuccess(PARTIAL);
    summary.recordFailure(new SmtpException(SmtpPhase.CONNECT, Reason.TIMEOUT, "no reply within 30000 ms"));
    summary.finish(1);

    assertThat(summary.allDelivered()).isFalse();
    assertThat(summary.toText()).isEqualTo("""
      sent 2/3 messages in 1.00 s (2.0 msgs/s): 1 delivered, 1 partially delivered, 1 failed
      errors:
        RCPT 550 5.1.1: <nobody@example.com>: Recipient address rejected
        CONNECT: no reply within 30000 ms
      """);
  }

  @Test
  void failuresAreCountedByTheLibrarysOutcome() {
    Summary summary = new Summary(3);
    summary.recordFailure(new SmtpException(SmtpPhase.MAIL, Reason.REPLY, "sender refused", 553, "5.7.1",
      List.of("5.7.1 not yours"), null));
    summary.recordFailure(new SmtpException(SmtpPhase.DATA_END, Reason.CONNECTION, "the server closed the connection"));
    summary.recordFailure(new SmtpException(SmtpPhase.MAIL, Reason.REPLY, "busy", 451, "4.3.0", List.of("4.3.0 busy"),
      null));
    summary.finish(1.0);

    JsonObject json = new JsonObject(summary.toJsonLine());
    assertThat(json.getInteger("rejected")).isEqualTo(1);
    assertThat(json.getInteger("unknown")).isEqualTo(1);
    assertThat(json.getInteger("failed")).isEqualTo(1);
  }
}
