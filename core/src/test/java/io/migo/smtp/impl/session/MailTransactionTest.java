package io.migo.smtp.impl.session;

import io.migo.smtp.DsnOptions;
import io.migo.smtp.DsnOptions.Notify;
import io.migo.smtp.DsnOptions.Return;
import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.RecipientRejection;
import io.migo.smtp.RecipientsRejectedException;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** MAIL/RCPT/DATA, recipient refusals, message data on the wire, and input that must never reach it. */
class MailTransactionTest extends ScriptedClientTestBase {

  private static Step twoRecipients(String secondReply) {
    return Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "RCPT TO:<nobody@example.test>", "DATA")
      .reply("250 2.1.0 Ok", "250 2.1.5 Ok", secondReply, "354 go ahead");
  }

  @Test
  void aRefusedRecipientIsReportedAndTheOthersGetTheMessage() {
    server.script(greeting(), ehloPipelining(),
      twoRecipients("550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown"),
      queued(), quit());
    start(plainOptions(listen()));

    SendResult result = Await.result(client.send(
      Envelope.of("a@example.test", "b@example.test", "nobody@example.test"), Buffer.buffer(MESSAGE)));

    assertThat(result.acceptedRecipients()).containsExactly("b@example.test");
    assertThat(result.isPartial()).isTrue();
    assertThat(result.rejectedRecipients()).containsExactly(new RecipientRejection("nobody@example.test", 550,
      "5.1.1", "<nobody@example.test>: Recipient address rejected: User unknown"));
    Await.result(client.close());
    assertScriptFollowed();
  }

  @Test
  void everyRecipientRefusedFailsTheMessageAndKeepsTheSession() {
    server.script(greeting(), ehloPipelining(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.1.0 Ok", "550 5.1.1 User unknown", "554 5.5.1 Error: no valid recipients"),
      Step.on("RSET", "MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.0.0 Ok", "250 2.1.0 Ok", "250 2.1.5 Ok", "354 go ahead"),
      queued(), quit());
    start(plainOptions(listen()));

    RecipientsRejectedException e = (RecipientsRejectedException) Await.failure(sendSimple());
    assertThat(e.phase()).isEqualTo(SmtpPhase.RCPT);
    assertThat(e.replyCode()).isEqualTo(550);
    assertThat(e.isPermanent()).isTrue();
    assertThat(e.rejections()).extracting(RecipientRejection::address).containsExactly("b@example.test");

    // The same session carries the next message; the RSET that clears the failed transaction rides in its batch.
    Await.result(sendSimple());
    assertThat(client.poolStats().closedTotal()).as("the refusal cost no session").isZero();
    Await.result(client.close());
    assertScriptFollowed();
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void failOnRejectedRecipientsWaitsForRcptRepliesBeforeData() {
    server.script(greeting(), ehloPipelining(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "RCPT TO:<nobody@example.test>")
        .reply("250 2.1.0 Ok", "250 2.1.5 Ok", "450 4.2.0 Mailbox busy"),
      Step.on("RSET", "QUIT").reply("250 Ok", "221 Bye").thenClose());
    start(plainOptions(listen()).setFailOnRejectedRecipients(true));

    RecipientsRejectedException e = (RecipientsRejectedException) Await.failure(client.send(
      Envelope.of("a@example.test", "b@example.test", "nobody@example.test"), Buffer.buffer(MESSAGE)));

    assertThat(e.isTransient()).isTrue();
    assertThat(server.transcript()).doesNotContain("C: DATA");
  }

  @Test
  void refusedSenderIsAMailError() {
    server.script(greeting(), ehloPipelining(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("553 5.7.1 Sender address rejected: not owned by user", "503 5.5.1 Error: need MAIL command",
          "503 5.5.1 Error: need RCPT command"));
    start(plainOptions(listen()));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.MAIL);
    assertThat(e.replyCode()).isEqualTo(553);
    assertThat(e.enhancedCode()).isEqualTo("5.7.1");
  }

  @Test
  void refusedMessageIsADataEndError() {
    server.script(greeting(), ehloPipelining(), simpleTransactionPipelined(),
      Step.onData().reply("554 5.7.1 Spam detected"), quit());
    start(plainOptions(listen()));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.DATA_END);
    assertThat(e.replyCode()).isEqualTo(554);
  }

  @Test
  void dataIsNormalizedAndDotStuffedOnTheWire() {
    server.script(greeting(), ehloPipelining(), simpleTransactionPipelined(), queued(), quit());
    start(plainOptions(listen()));

    String content = "Subject: dots\n\n.leading dot\nbare LF\rbare CR\r\n..two dots\n.\nend without newline";
    Await.result(client.send(Envelope.of("a@example.test", "b@example.test"), Buffer.buffer(content)));

    assertThat(server.messages()).containsExactly(
      "Subject: dots\r\n\r\n..leading dot\r\nbare LF\r\nbare CR\r\n...two dots\r\n..\r\nend without newline\r\n");
  }

  @Test
  void sendsAMailMessageThroughTheMimeEncoder() {
    server.script(greeting(), ehloPipelining(),
      Step.on("MAIL FROM:<from@example.test>", "RCPT TO:<to@example.test>", "RCPT TO:<bcc@example.test>", "DATA")
        .reply("250 Ok", "250 Ok", "250 Ok", "354 go ahead"),
      queued(), quit());
    start(plainOptions(listen()));

    MailMessage message = new MailMessage().setFrom("Sender <from@example.test>").setTo("to@example.test")
      .setBcc("bcc@example.test").setSubject("MIME").setText("Hello\n.world");
    SendResult result = Await.result(client.send(message));

    assertThat(result.messageId()).isNotBlank();
    assertThat(result.acceptedRecipients()).containsExactly("to@example.test", "bcc@example.test");
    String wire = server.messages().get(0);
    assertThat(wire).contains("Subject: MIME\r\n").contains("Message-ID: " + result.messageId() + "\r\n")
      .doesNotContain("bcc@example.test").doesNotContain("\r\n.world");
    assertScriptFollowed();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a@example.test\r\nRCPT TO:<evil@example.test>", "a@exa\nmple.test", "a\u0000@example.test",
    "<a@example.test>", "no-at-sign", ""})
  void injectedOrMalformedAddressesAreRefusedBeforeAnythingIsSent(String bad) {
    server.script(greeting(), ehloPipelining(), quit());
    start(plainOptions(listen()));

    // Envelope refuses them where they are written, so the client never gets them.
    SmtpException asRecipient = (SmtpException) org.assertj.core.api.Assertions.catchThrowable(
      () -> client.send(Envelope.of("a@example.test", bad), Buffer.buffer(MESSAGE)));
    SmtpException asSender = (SmtpException) org.assertj.core.api.Assertions.catchThrowable(
      () -> client.send(Envelope.of(bad.isEmpty() ? "x" : bad, "b@example.test"), Buffer.buffer(MESSAGE)));

    assertThat(List.of(asRecipient, asSender)).allSatisfy(e -> {
      assertThat(e.phase()).isEqualTo(SmtpPhase.INPUT);
      assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT);
    });
    assertThat(server.transcript()).noneMatch(line -> line.startsWith("C: MAIL") || line.startsWith("C: RCPT"));
  }

  @Test
  void headerInjectionInAMailMessageIsRefused() {
    server.script(greeting(), ehloPipelining(), quit());
    start(plainOptions(listen()));

    MailMessage message = new MailMessage().setFrom("from@example.test").setTo("to@example.test")
      .setSubject("hi\r\nBcc: victim@example.test").setText("x");
    SmtpException e = (SmtpException) Await.failure(client.send(message));

    assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT);
    assertThat(e.getMessage()).contains("Subject");
  }

  @Test
  void emptyRecipientListIsRefused() {
    server.script(greeting(), ehloPipelining(), quit());
    start(plainOptions(listen()));

    SmtpException e = (SmtpException) Await.failure(
      client.send(new Envelope("a@example.test", List.of()), Buffer.buffer(MESSAGE)));

    assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT);
  }

  @Test
  void aLineLongerThan998OctetsIsRefusedBeforeMail() {
    server.script(greeting(), ehloPipelining(), quit());
    start(plainOptions(listen()));

    SmtpException e = (SmtpException) Await.failure(client.send(Envelope.of("a@example.test", "b@example.test"),
      Buffer.buffer("Subject: long\r\n\r\n" + "x".repeat(999) + "\r\n")));

    assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT);
    assertThat(e.getMessage()).contains("998");
    assertThat(server.transcript()).noneMatch(line -> line.startsWith("C: MAIL"));
  }

  @Test
  void aNonAsciiAddressNeedsSmtpUtf8() {
    server.script(greeting(), ehloPipelining(), quit());
    start(plainOptions(listen()));

    SmtpException e = (SmtpException) Await.failure(client.send(Envelope.of("a@example.test", "jörg@example.test"),
      Buffer.buffer(MESSAGE)));

    assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT);
    assertThat(e.getMessage()).contains("SMTPUTF8");
    assertThat(server.transcript()).noneMatch(line -> line.startsWith("C: MAIL"));
  }

  @Test
  void aNonAsciiAddressGoesWithSmtpUtf8WhenOffered() {
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING", "250 SMTPUTF8"),
      Step.on("MAIL FROM:<a@example.test> SMTPUTF8", "RCPT TO:<jörg@example.test>", "DATA")
        .reply("250 Ok", "250 Ok", "354 go ahead"),
      queued(), quit());
    start(plainOptions(listen()));

    Await.result(client.send(Envelope.of("a@example.test", "jörg@example.test"), Buffer.buffer(MESSAGE)));

    assertScriptFollowed();
  }

  @Test
  void eightBitContentIsDeclaredWithBody8BitMimeWhenTheServerOffersIt() {
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING", "250 8BITMIME"),
      Step.on("MAIL FROM:<a@example.test> BODY=8BITMIME", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 Ok", "250 Ok", "354 go ahead"),
      queued(), quit());
    start(plainOptions(listen()));

    Await.result(client.send(Envelope.of("a@example.test", "b@example.test"),
      Buffer.buffer("Subject: Grüße\r\nContent-Type: text/plain; charset=utf-8\r\n"
        + "Content-Transfer-Encoding: 8bit\r\n\r\nGrüße, Jörg\r\n")));

    assertScriptFollowed();
  }

  @Test
  void eightBitContentIsRefusedBeforeMailWhenTheServerLacks8BitMime() {
    server.script(greeting(), ehloPipelining(), quit());
    start(plainOptions(listen()));

    SmtpException e = (SmtpException) Await.failure(client.send(Envelope.of("a@example.test", "b@example.test"),
      Buffer.buffer("Subject: x\r\n\r\nGrüße\r\n")));

    assertThat(e.phase()).isEqualTo(SmtpPhase.INPUT);
    assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT);
    assertThat(e.getMessage()).contains("8BITMIME");
    assertThat(server.transcript()).noneMatch(line -> line.startsWith("C: MAIL"));
  }

  @Test
  void asciiContentDeclaresNoBodyType() {
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING", "250 8BITMIME"),
      simpleTransactionPipelined(), queued(), quit());
    start(plainOptions(listen()));

    Await.result(sendSimple());

    assertScriptFollowed();
  }

  private static final DsnOptions BULK_DSN = DsnOptions.none().withNotify(Notify.FAILURE).withReturn(Return.HEADERS)
    .withEnvelopeId("run 7/rcpt 1").withOriginalRecipients(true);

  /** A server offering DSN that expects BULK_DSN's parameters, exactly. */
  private void scriptDsnTransaction() {
    server.script(greeting(), ehloDsn(),
      Step.on("MAIL FROM:<a@example.test> RET=HDRS ENVID=run+207/rcpt+201",
          "RCPT TO:<b@example.test> NOTIFY=FAILURE ORCPT=rfc822;b@example.test", "DATA")
        .reply("250 Ok", "250 Ok", "354 go ahead"),
      queued(), quit());
    start(plainOptions(listen()));
  }

  private static Step ehloDsn() {
    return Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING", "250 DSN");
  }

  @Test
  void dsnParametersGoToAServerThatOffersDsn() {
    scriptDsnTransaction();

    Await.result(client.send(Envelope.of("a@example.test", "b@example.test").withDsn(BULK_DSN),
      Buffer.buffer(MESSAGE)));

    assertScriptFollowed();
  }

  @Test
  void aMailMessageCarriesItsDsnOptionsToo() {
    scriptDsnTransaction();

    Await.result(client.send(Mail.of(new MailMessage().setFrom("a@example.test").setTo("b@example.test")
      .setSubject("dsn").setText("hello")).withDsn(BULK_DSN)));

    assertScriptFollowed();
  }

  @Test
  void withoutDsnAtTheServerTheMessageGoesWithoutTheParameters() {
    server.script(greeting(), ehloPipelining(), simpleTransactionPipelined(), queued(), quit());
    start(plainOptions(listen()));

    Await.result(client.send(Envelope.of("a@example.test", "b@example.test").withDsn(BULK_DSN),
      Buffer.buffer(MESSAGE)));

    assertScriptFollowed();
  }

  @Test
  void aBadDsnEnvelopeIdIsRefusedBeforeMail() {
    server.script(greeting(), ehloDsn(), quit());
    start(plainOptions(listen()));

    SmtpException e = (SmtpException) Await.failure(client.send(Envelope.of("a@example.test", "b@example.test")
      .withDsn(DsnOptions.none().withEnvelopeId("id\r\nRSET")), Buffer.buffer(MESSAGE)));

    assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT);
    assertThat(server.transcript()).noneMatch(line -> line.startsWith("C: MAIL"));
  }

  @Test
  void aMessageLargerThanTheServersSizeLimitIsRefusedBeforeMail() {
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING", "250 SIZE 10"), quit());
    start(plainOptions(listen()));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT);
    assertThat(e.getMessage()).contains("SIZE");
    assertThat(server.transcript()).noneMatch(line -> line.startsWith("C: MAIL"));
  }

  @Test
  void manyMessagesReuseOneSession() {
    server.script(greeting(), ehloPipelining(),
      simpleTransactionPipelined(), queued(),
      simpleTransactionPipelined(), queued(),
      simpleTransactionPipelined(), queued(), quit());
    start(plainOptions(listen()), new PoolOptions().setMaxSize(1));

    for (int i = 0; i < 3; i++) {
      Await.result(sendSimple());
    }
    Await.result(client.close());

    assertScriptFollowed();
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void aServerThatStopsReadingHoldsTheWriterBackInsteadOfGrowingMemory() {
    server.script(greeting(), ehloPipelining(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.1.0 Ok", "250 2.1.5 Ok", "354 go ahead").thenStopReading());
    start(plainOptions(listen()).setCommandTimeout(Duration.ofMillis(500)).setDataTimeout(Duration.ofSeconds(30)));
    Buffer big = Buffer.buffer(("x".repeat(98) + "\r\n").repeat(320 * 1024)); // 32 MiB

    SmtpException e = (SmtpException) Await.failure(
      client.send(Envelope.of("a@example.test", "b@example.test"), big));

    // The writer waited for the socket to drain (and gave up after the command timeout) instead of queueing all
    // 32 MiB: it never got to the end of the data.
    assertThat(e.phase()).isEqualTo(SmtpPhase.MESSAGE);
    assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
  }
}
