package io.migo.smtp.cluster.impl;

import io.migo.smtp.DsnOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.migo.smtp.RecipientRejection;
import io.migo.smtp.RecipientsRejectedException;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.cluster.ClusterClientOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailMessage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What crosses the event bus comes out as it went in: requests, reports and outcomes; an oversized body is refused. */
class CodecsTest {

  private final SendRequestCodec requests = new SendRequestCodec();
  private final WorkerReportCodec reports = new WorkerReportCodec();

  @Test
  void aRawMailKeepsItsEnvelopeDsnRequireTlsAndBytes() {
    byte[] bytes = "Subject: x\r\n\r\n\u00e9\r\n.\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Mail mail = Mail.raw(Envelope.of("a@example.test", "b@example.test", "c@example.test"), Buffer.buffer(bytes))
      .withDsn(DsnOptions.none().withNotify(DsnOptions.Notify.FAILURE, DsnOptions.Notify.DELAY)
        .withReturn(DsnOptions.Return.HEADERS).withEnvelopeId("env-1"))
      .withRequireTls(true).withCorrelationId(42);

    SendRequest back = roundTrip(SendRequest.of(7, "reply.here", mail));
    Mail again = back.toMail();

    assertThat(back.id()).isEqualTo(7);
    assertThat(back.replyTo()).isEqualTo("reply.here");
    assertThat(again.envelope().sender()).isEqualTo("a@example.test");
    assertThat(again.envelope().recipients()).containsExactly("b@example.test", "c@example.test");
    assertThat(again.dsn()).isEqualTo(mail.dsn());
    assertThat(again.requireTls()).isTrue();
    assertThat(again.content().getBytes()).isEqualTo(bytes);
    assertThat(again.correlationId()).isSameAs(back);
  }

  @Test
  void aMailMessageTravelsAsItsJson() {
    MailMessage message = new MailMessage().setFrom("a@example.test").setTo("b@example.test").setSubject("hi")
      .setText("hello");
    Mail again = roundTrip(SendRequest.of(1, "r", Mail.of(message))).toMail();
    assertThat(again.isRaw()).isFalse();
    assertThat(again.message().toJson()).isEqualTo(message.toJson());
  }

  @Test
  void aBodyOverTheLimitIsRefusedOnDecoding() {
    Buffer wire = Buffer.buffer();
    WireFormat.write(wire, new io.vertx.core.json.JsonObject().put("id", 1), Buffer.buffer(new byte[16]));
    wire.setInt(wire.length() - 16 - 4, (int) ClusterClientOptions.MAX_MESSAGE_BYTES_LIMIT + 1);
    assertThatThrownBy(() -> requests.decodeFromWire(0, wire)).hasMessageContaining("over the cluster's limit");
  }

  @Test
  void outcomesKeepStatusResultErrorAndTries() {
    Mail mail = Mail.raw(Envelope.of("a@example.test", "b@example.test"), Buffer.buffer("x"));
    SendOutcome delivered = new SendOutcome(mail, Status.PARTIALLY_DELIVERED, new SendResult("<id@x>",
      "2.0.0 Ok: queued as ABC", List.of("b@example.test"),
      List.of(new RecipientRejection("c@example.test", 550, "5.1.1", "no such user"))), null, 2, 3, null);
    SmtpException unknownError = new SmtpException(SmtpPhase.DATA_END, SmtpException.Reason.TIMEOUT,
      "no reply to the end of data", -1, null, List.of(), null);
    SendOutcome unknown = SendOutcome.failed(mail, unknownError);
    SendOutcome refused = SendOutcome.failed(mail, new RecipientsRejectedException("every recipient refused",
      List.of(new RecipientRejection("b@example.test", 550, "5.1.1", "no such user"))));

    SendOutcome d = viaReport(mail, delivered);
    assertThat(d.status()).isEqualTo(Status.PARTIALLY_DELIVERED);
    assertThat(d.result()).isEqualTo(delivered.result());
    assertThat(d.attempts()).isEqualTo(2);
    assertThat(d.deferrals()).isEqualTo(3);

    SendOutcome u = viaReport(mail, unknown);
    assertThat(u.status()).isEqualTo(Status.UNKNOWN);
    assertThat(u.error().getMessage()).isEqualTo(unknownError.getMessage());
    assertThat(u.error().delivery()).isEqualTo(SmtpException.Delivery.MAYBE_DELIVERED);

    SendOutcome r = viaReport(mail, refused);
    assertThat(r.status()).isEqualTo(Status.REJECTED);
    assertThat(r.error()).isInstanceOf(RecipientsRejectedException.class);
    assertThat(r.error().getMessage()).isEqualTo(refused.error().getMessage());
    assertThat(((RecipientsRejectedException) r.error()).rejections()).hasSize(1);
  }

  private SendOutcome viaReport(Mail mail, SendOutcome outcome) {
    WorkerReport report = new WorkerReport(WorkerReport.Kind.OUTCOME, 5, "node", OutcomeWire.toJson(outcome), 4, 2.5);
    Buffer wire = Buffer.buffer();
    reports.encodeToWire(wire, report);
    WorkerReport back = reports.decodeFromWire(0, wire);
    assertThat(back.throttleEvents()).isEqualTo(4);
    assertThat(back.rateLimit()).isEqualTo(2.5);
    return OutcomeWire.fromJson(mail, back.outcome());
  }

  private SendRequest roundTrip(SendRequest request) {
    Buffer wire = Buffer.buffer();
    requests.encodeToWire(wire, request);
    return requests.decodeFromWire(0, wire);
  }
}
