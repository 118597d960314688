package io.migo.smtp.impl.session;

import io.migo.smtp.Envelope;
import io.migo.smtp.MailProtocol;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.RecipientRejection;
import io.migo.smtp.RecipientsRejectedException;
import io.migo.smtp.RecipientsUnknownException;
import io.migo.smtp.RetryPolicy;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Delivery;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.impl.FailurePolicy;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LMTP (RFC 2033) against a scripted server: LHLO without a HELO fallback, and after the data one reply per recipient
 * accepted at RCPT, in RCPT order, each in the result — mixed replies, all refused (permanent and transient), a drop
 * after some of the replies, CHUNKING, and messages pipelined behind each other's final dot.
 */
class LmtpTest extends ScriptedClientTestBase {

  private static final String DOT = ".\r\n";
  private static final String B = "b@example.test";
  private static final String C = "c@example.test";
  private static final String D = "d@example.test";

  private SmtpClientOptions lmtpOptions(int port) {
    return plainOptions(port).setProtocol(MailProtocol.LMTP);
  }

  private static Step lhlo(String... extensions) {
    List<String> lines = new ArrayList<>();
    lines.add("scripted.test");
    lines.addAll(List.of(extensions));
    List<String> reply = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      reply.add("250" + (i == lines.size() - 1 ? " " : "-") + lines.get(i));
    }
    return Step.on("LHLO client.example").reply(reply.toArray(String[]::new));
  }

  private static Step lhloPipelining() {
    return lhlo("PIPELINING", "ENHANCEDSTATUSCODES", "8BITMIME");
  }

  private static String saved(String recipient, String id) {
    return "250 2.0.0 <" + recipient + "> " + id + " Saved";
  }

  private Future<SendResult> send(String... recipients) {
    return client.send(Envelope.of("a@example.test", recipients), Buffer.buffer(MESSAGE));
  }

  @Test
  void lhloThenOneReplyPerRecipientAfterTheDot() {
    server.script(greeting(), lhloPipelining(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<" + B + ">", "RCPT TO:<" + C + ">", "DATA")
        .reply("250 2.1.0 OK", "250 2.1.5 OK", "250 2.1.5 OK", "354 OK"),
      Step.onData().reply(saved(B, "id1"), saved(C, "id1")),
      quit());
    start(lmtpOptions(listen()));

    SendResult result = Await.result(send(B, C));

    assertThat(result.acceptedRecipients()).containsExactly(B, C);
    assertThat(result.rejectedRecipients()).isEmpty();
    assertThat(result.serverResponse()).contains("<" + B + "> id1 Saved").contains("<" + C + "> id1 Saved");
    assertThat(SendOutcome.Status.of(result)).isEqualTo(SendOutcome.Status.DELIVERED);
    assertThat(server.transcript()).as("no EHLO, no HELO").noneMatch(l -> l.startsWith("EHLO") || l.startsWith("HELO"));
    Await.result(client.close());
    assertScriptFollowed();
  }

  @Test
  void mixedRefusalsAtRcptAndAfterTheDotArePartialWithEachRecipientsReply() {
    server.script(greeting(), lhloPipelining(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<" + B + ">", "RCPT TO:<" + C + ">", "RCPT TO:<" + D + ">",
        "DATA").reply("250 2.1.0 OK", "250 2.1.5 OK", "550 5.1.1 <" + C + "> User doesn't exist: " + C,
        "250 2.1.5 OK", "354 OK"),
      // Two replies, for B and D (C was refused at RCPT and gets none).
      Step.onData().reply(saved(B, "id2"), "552 5.2.2 <" + D + "> Quota exceeded (mailbox for user is full)"),
      // The transaction is over: the next message needs no RSET.
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<" + B + ">", "DATA").reply("250 2.1.0 OK", "250 2.1.5 OK",
        "354 OK"),
      Step.onData().reply(saved(B, "id3")),
      quit());
    start(lmtpOptions(listen()), new PoolOptions().setMaxSize(1));

    SendResult result = Await.result(send(B, C, D));
    SendResult next = Await.result(send(B));

    assertThat(SendOutcome.Status.of(result)).isEqualTo(SendOutcome.Status.PARTIALLY_DELIVERED);
    assertThat(result.acceptedRecipients()).containsExactly(B);
    assertThat(result.rejectedRecipients()).containsExactly(
      new RecipientRejection(C, 550, "5.1.1", "<" + C + "> User doesn't exist: " + C),
      new RecipientRejection(D, 552, "5.2.2", "<" + D + "> Quota exceeded (mailbox for user is full)",
        SmtpPhase.DATA_END));
    assertThat(next.acceptedRecipients()).containsExactly(B);
    Await.result(client.close());
    assertScriptFollowed();
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void everyRecipientRefusedAfterTheDotIsRejectedAndTheSessionGoesOn() {
    server.script(greeting(), lhloPipelining(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<" + B + ">", "RCPT TO:<" + C + ">", "DATA")
        .reply("250 2.1.0 OK", "250 2.1.5 OK", "250 2.1.5 OK", "354 OK"),
      Step.onData().reply("552 5.2.2 <" + B + "> Quota exceeded", "554 5.6.0 <" + C + "> Invalid message"),
      Step.on("RSET", "MAIL FROM:<a@example.test>", "RCPT TO:<" + B + ">", "DATA")
        .reply("250 2.0.0 OK", "250 2.1.0 OK", "250 2.1.5 OK", "354 OK"),
      Step.onData().reply(saved(B, "id4")),
      quit());
    start(lmtpOptions(listen()), new PoolOptions().setMaxSize(1));

    Throwable failure = Await.failure(send(B, C));
    SendResult next = Await.result(send(B));

    assertThat(failure).isInstanceOf(RecipientsRejectedException.class);
    RecipientsRejectedException refused = (RecipientsRejectedException) failure;
    assertThat(refused.phase()).isEqualTo(SmtpPhase.DATA_END);
    assertThat(refused.delivery()).isEqualTo(Delivery.REFUSED);
    assertThat(refused.rejections()).extracting(RecipientRejection::address, RecipientRejection::replyCode,
      RecipientRejection::enhancedCode).containsExactly(
        org.assertj.core.groups.Tuple.tuple(B, 552, "5.2.2"), org.assertj.core.groups.Tuple.tuple(C, 554, "5.6.0"));
    assertThat(SendOutcome.statusOf(failure)).isEqualTo(SendOutcome.Status.REJECTED);
    assertThat(FailurePolicy.retry(failure, false)).isEqualTo(FailurePolicy.Retry.NONE);
    assertThat(next.acceptedRecipients()).containsExactly(B);
    Await.result(client.close());
    assertScriptFollowed();
  }

  /**
   * Transient refusals of every recipient after the data: as with transient refusals at RCPT, the server holds the
   * message for nobody, so the client tries the whole message again after its backoff (here once), then reports it.
   */
  @Test
  void everyRecipientRefusedTransientlyAfterTheDotIsRetriedThenReported() {
    Step envelope = Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<" + B + ">", "DATA")
      .reply("250 2.1.0 OK", "250 2.1.5 OK", "354 OK");
    server.script(greeting(), lhloPipelining(), envelope,
        Step.onData().reply("452 4.2.2 <" + B + "> Quota exceeded (mailbox for user is full)"),
        Step.on("RSET", "MAIL FROM:<a@example.test>", "RCPT TO:<" + B + ">", "DATA")
          .reply("250 2.0.0 OK", "250 2.1.0 OK", "250 2.1.5 OK", "354 OK"),
        Step.onData().reply("452 4.2.2 <" + B + "> Quota exceeded (mailbox for user is full)"))
      .answer(Step.on("RSET").reply("250 2.0.0 OK"), quit());
    start(lmtpOptions(listen()).setRetryPolicy(new RetryPolicy(2, java.time.Duration.ofMillis(1), 1.0,
      java.time.Duration.ofMillis(1))), new PoolOptions().setMaxSize(1));

    Throwable failure = Await.failure(send(B));

    assertThat(failure).isInstanceOf(RecipientsRejectedException.class);
    RecipientsRejectedException refused = (RecipientsRejectedException) failure;
    assertThat(refused.isTransient()).isTrue();
    assertThat(FailurePolicy.retry(failure, false)).isEqualTo(FailurePolicy.Retry.BACK_OFF);
    assertThat(SendOutcome.statusOf(failure)).as("as for transient refusals at RCPT, after the retries")
      .isEqualTo(SendOutcome.Status.REJECTED);
    assertThat(server.messages()).hasSize(2);
    Await.result(client.close());
    assertScriptFollowed();
  }

  @Test
  void aDropAfterSomeRepliesLeavesTheUnansweredUnknownAndNothingIsResent() {
    server.script(greeting(), lhloPipelining(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<" + B + ">", "RCPT TO:<" + C + ">", "RCPT TO:<" + D + ">",
        "DATA").reply("250 2.1.0 OK", "250 2.1.5 OK", "250 2.1.5 OK", "250 2.1.5 OK", "354 OK"),
      Step.onData().reply(saved(B, "id5"), "552 5.2.2 <" + C + "> Quota exceeded").thenClose());
    start(lmtpOptions(listen()).setRetryPolicy(RetryPolicy.defaults()));

    Throwable failure = Await.failure(send(B, C, D));

    assertThat(failure).isInstanceOf(RecipientsUnknownException.class);
    RecipientsUnknownException unknown = (RecipientsUnknownException) failure;
    assertThat(unknown.deliveredRecipients()).containsExactly(B);
    assertThat(unknown.rejections()).extracting(RecipientRejection::address).containsExactly(C);
    assertThat(unknown.unknownRecipients()).containsExactly(D);
    assertThat(unknown.phase()).isEqualTo(SmtpPhase.DATA_END);
    assertThat(unknown.delivery()).isEqualTo(Delivery.MAYBE_DELIVERED);
    assertThat(SendOutcome.statusOf(failure)).isEqualTo(SendOutcome.Status.UNKNOWN);
    assertThat(unknown.getMessage()).contains(D);
    assertThat(server.reads()).filteredOn(read -> read.contains("MAIL FROM")).as("sent once, never again")
      .hasSize(1);
  }

  @Test
  void aDropRightAfterTheDotLeavesEveryRecipientUnknown() {
    server.script(greeting(), lhloPipelining(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<" + B + ">", "RCPT TO:<" + C + ">", "DATA")
        .reply("250 2.1.0 OK", "250 2.1.5 OK", "250 2.1.5 OK", "354 OK"),
      Step.onData().thenClose());
    start(lmtpOptions(listen()).setRetryPolicy(RetryPolicy.defaults()));

    RecipientsUnknownException unknown = (RecipientsUnknownException) Await.failure(send(B, C));

    assertThat(unknown.unknownRecipients()).containsExactly(B, C);
    assertThat(unknown.deliveredRecipients()).isEmpty();
    assertThat(SendOutcome.statusOf(unknown)).isEqualTo(SendOutcome.Status.UNKNOWN);
    assertThat(server.reads()).filteredOn(read -> read.contains("MAIL FROM")).hasSize(1);
  }

  /** Without PIPELINING every command waits for its reply; the replies after the dot are still one per recipient. */
  @Test
  void withoutPipeliningEachCommandWaitsAndTheDotStillGetsOneReplyPerRecipient() {
    server.script(greeting(), lhlo("ENHANCEDSTATUSCODES"),
      Step.on("MAIL FROM:<a@example.test>").reply("250 2.1.0 OK"),
      Step.on("RCPT TO:<" + B + ">").reply("250 2.1.5 OK"),
      Step.on("RCPT TO:<" + C + ">").reply("250 2.1.5 OK"),
      Step.on("DATA").reply("354 OK"),
      Step.onData().reply("451 4.3.0 <" + B + "> Temporary failure", saved(C, "id8")),
      quit());
    start(lmtpOptions(listen()));

    SendResult result = Await.result(send(B, C));

    assertThat(result.acceptedRecipients()).containsExactly(C);
    assertThat(result.rejectedRecipients()).extracting(RecipientRejection::address, RecipientRejection::replyCode)
      .containsExactly(org.assertj.core.groups.Tuple.tuple(B, 451));
    assertThat(result.rejectedRecipients().get(0).isTransient()).isTrue();
    Await.result(client.close());
    assertScriptFollowed();
  }

  @Test
  void aServerThatDoesNotKnowLhloIsNotLmtpAndGetsNoHelo() {
    server.script(greeting(), Step.on("LHLO client.example").reply("502 5.5.2 Error: command not recognized"));
    start(lmtpOptions(listen()));

    SmtpException failure = (SmtpException) Await.failure(sendSimple());

    assertThat(failure.phase()).isEqualTo(SmtpPhase.EHLO);
    assertThat(failure.replyCode()).isEqualTo(502);
    assertThat(failure.getMessage()).contains("LHLO refused").contains("does not speak LMTP")
      .contains("MailProtocol.SMTP");
    assertThat(server.transcript()).noneMatch(l -> l.startsWith("HELO") || l.startsWith("EHLO"));
    assertScriptFollowed();
  }

  @Test
  void anLhloRefusalOtherThanUnknownCommandIsReportedAsIs() {
    server.script(greeting(), Step.on("LHLO client.example").reply("550 5.7.1 Not allowed"));
    start(lmtpOptions(listen()));

    SmtpException failure = (SmtpException) Await.failure(sendSimple());

    assertThat(failure.phase()).isEqualTo(SmtpPhase.EHLO);
    assertThat(failure.getMessage()).contains("LHLO refused").doesNotContain("does not speak LMTP");
  }

  /**
   * With CHUNKING the last BDAT gets one reply per accepted recipient, so the client must know how many before they
   * come: the envelope's replies are read first even on a proven session (one write per message is for SMTP).
   */
  @Test
  void withChunkingTheLastBdatGetsOneReplyPerRecipient() {
    String content = MESSAGE;
    server.script(greeting(), lhlo("PIPELINING", "ENHANCEDSTATUSCODES", "CHUNKING"),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<" + B + ">", "RCPT TO:<" + C + ">", "RCPT TO:<" + D + ">")
        .reply("250 2.1.0 OK", "250 2.1.5 OK", "550 5.1.1 <" + C + "> User doesn't exist", "250 2.1.5 OK"),
      Step.on("BDAT " + content.length() + " LAST").reply(saved(B, "id6"), "452 4.2.2 <" + D + "> Quota exceeded"),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<" + B + ">", "RCPT TO:<" + D + ">")
        .reply("250 2.1.0 OK", "250 2.1.5 OK", "250 2.1.5 OK"),
      Step.on("BDAT " + content.length() + " LAST").reply(saved(B, "id7"), saved(D, "id7")),
      quit());
    start(lmtpOptions(listen()), new PoolOptions().setMaxSize(1));

    SendResult first = Await.result(send(B, C, D));
    SendResult second = Await.result(send(B, D));

    assertThat(SendOutcome.Status.of(first)).isEqualTo(SendOutcome.Status.PARTIALLY_DELIVERED);
    assertThat(first.acceptedRecipients()).containsExactly(B);
    assertThat(first.rejectedRecipients()).extracting(RecipientRejection::address, RecipientRejection::replyCode)
      .containsExactly(org.assertj.core.groups.Tuple.tuple(C, 550), org.assertj.core.groups.Tuple.tuple(D, 452));
    assertThat(second.acceptedRecipients()).containsExactly(B, D);
    assertThat(server.messages()).containsExactly(content, content);
    assertThat(server.reads()).filteredOn(read -> read.startsWith("BDAT")).as("each BDAT after its envelope's replies")
      .hasSize(2);
    Await.result(client.close());
    assertScriptFollowed();
  }

  @Test
  void withChunkingADropAfterTheFirstReplyLeavesTheRestUnknown() {
    server.script(greeting(), lhlo("PIPELINING", "CHUNKING"),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<" + B + ">", "RCPT TO:<" + C + ">")
        .reply("250 OK", "250 OK", "250 OK"),
      Step.on("BDAT " + MESSAGE.length() + " LAST").reply("250 <" + B + "> Saved").thenClose());
    start(lmtpOptions(listen()).setRetryPolicy(RetryPolicy.defaults()));

    RecipientsUnknownException unknown = (RecipientsUnknownException) Await.failure(send(B, C));

    assertThat(unknown.deliveredRecipients()).containsExactly(B);
    assertThat(unknown.unknownRecipients()).containsExactly(C);
    assertThat(server.reads()).filteredOn(read -> read.contains("MAIL FROM")).hasSize(1);
  }

  /**
   * Pipelining across messages still works: each next envelope rides in the write of the previous final dot, and its
   * replies are read after every one of the previous message's per-recipient replies.
   */
  @Test
  void messagesPipelineBehindEachOthersFinalDot() {
    server.script(greeting(), lhloPipelining()).loop(
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<" + B + ">", "RCPT TO:<" + C + ">", "DATA")
        .reply("250 2.1.0 OK", "250 2.1.5 OK", "250 2.1.5 OK", "354 OK"),
      Step.onData().reply(saved(B, "x"), saved(C, "x")));
    start(lmtpOptions(listen()), new PoolOptions().setMaxSize(1));

    List<Future<SendResult>> sends = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sends.add(send(B, C));
    }
    Await.result(Future.all(sends));

    for (Future<SendResult> sent : sends) {
      assertThat(sent.result().acceptedRecipients()).containsExactly(B, C);
    }
    String envelope = "MAIL FROM:<a@example.test>\r\nRCPT TO:<" + B + ">\r\nRCPT TO:<" + C + ">\r\nDATA\r\n";
    assertThat(server.reads()).filteredOn(read -> read.contains("MAIL FROM")).containsExactly(
      envelope, MESSAGE + DOT + envelope, MESSAGE + DOT + envelope, MESSAGE + DOT + envelope);
    assertThat(server.connections()).isEqualTo(1);
    assertScriptFollowed();
  }
}
