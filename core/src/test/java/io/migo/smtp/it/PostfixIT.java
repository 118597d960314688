package io.migo.smtp.it;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.DsnOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.RealServerTestBase;
import io.migo.smtp.testkit.TestServers;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interop with a real Postfix and Cyrus SASL (sasldb), started by {@code scripts/test-servers.sh}: a submission port
 * that requires STARTTLS before AUTH, an implicit-TLS port and a plain port. The client trusts the generated CA and
 * verifies the host name, as in production.
 */
class PostfixIT extends RealServerTestBase {

  private SmtpClientOptions submission() {
    return servers.verifiedOptions(servers.port("postfix.submission.port")).setTlsMode(TlsMode.STARTTLS_REQUIRED);
  }

  private SmtpClientOptions implicitTls() {
    return servers.verifiedOptions(servers.port("postfix.smtps.port")).setTlsMode(TlsMode.IMPLICIT);
  }

  private Path maildir() {
    return Path.of(servers.get("postfix.maildir"));
  }

  static Stream<Arguments> portsAndMechanisms() {
    List<Arguments> cases = new ArrayList<>();
    for (String port : List.of("submission", "implicit")) {
      for (AuthMechanism mechanism : List.of(AuthMechanism.PLAIN, AuthMechanism.LOGIN, AuthMechanism.CRAM_MD5)) {
        cases.add(Arguments.of(port, mechanism));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{1} over {0}")
  @MethodSource("portsAndMechanisms")
  void authenticatesAndDelivers(String port, AuthMechanism mechanism) {
    SmtpClientOptions options = (port.equals("submission") ? submission() : implicitTls())
      .setCredentials(servers.user(), servers.password())
      .setAuthMechanisms(Set.of(mechanism));
    String marker = UUID.randomUUID().toString();
    MailMessage message = new MailMessage().setFrom(servers.user()).setTo("rcpt@example.test")
      .setSubject(mechanism + " " + marker).setText("Sent with " + mechanism + " over " + port);

    SendResult result = Await.result(client(options).send(message));

    assertThat(result.acceptedRecipients()).containsExactly("rcpt@example.test");
    assertThat(result.serverResponse()).contains("queued as");
    String delivered = TestServers.awaitDelivered(maildir(), m -> m.contains(marker), Await.LIMIT);
    assertThat(delivered).contains("Message-ID: " + result.messageId() + "\n");
  }

  @Test
  void wrongPasswordIsATyped535() {
    SmtpClientOptions options = submission().setCredentials(servers.user(), "wrong-password");

    SmtpException e = (SmtpException) Await.failure(client(options).send(
      Envelope.of(servers.user(), "rcpt@example.test"), Buffer.buffer("Subject: x\r\n\r\nx\r\n")));

    assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
    assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(e.replyCode()).isEqualTo(535);
    assertThat(e.enhancedCode()).isEqualTo("5.7.8");
    assertThat(e.getMessage()).doesNotContain("wrong-password");
  }

  @Test
  void startTlsRequiredAgainstThePlainPortFailsBeforeAnyCredential() {
    SmtpClientOptions options = servers.verifiedOptions(servers.port("postfix.plain.port"))
      .setTlsMode(TlsMode.STARTTLS_REQUIRED).setCredentials(servers.user(), servers.password());

    SmtpException e = (SmtpException) Await.failure(client(options).send(
      Envelope.of(servers.user(), "rcpt@example.test"), Buffer.buffer("Subject: x\r\n\r\nx\r\n")));

    assertThat(e.phase()).isEqualTo(SmtpPhase.STARTTLS);
    assertThat(e.reason()).isEqualTo(Reason.SECURITY);
  }

  @Test
  void plainPortRefusesCleartextPasswordMechanismsButCramMd5Works() {
    SmtpClientOptions cleartext = servers.verifiedOptions(servers.port("postfix.plain.port"))
      .setTlsMode(TlsMode.NONE).setCredentials(servers.user(), servers.password())
      .setAuthMechanisms(Set.of(AuthMechanism.PLAIN, AuthMechanism.LOGIN));
    SmtpException e = (SmtpException) Await.failure(client(cleartext).send(
      Envelope.of(servers.user(), "rcpt@example.test"), Buffer.buffer("Subject: x\r\n\r\nx\r\n")));
    assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
    assertThat(e.reason()).isEqualTo(Reason.SECURITY);

    SmtpClientOptions cram = servers.verifiedOptions(servers.port("postfix.plain.port"))
      .setTlsMode(TlsMode.NONE).setCredentials(servers.user(), servers.password());
    String marker = UUID.randomUUID().toString();
    Await.result(client(cram).send(Envelope.of(servers.user(), "rcpt@example.test"),
      Buffer.buffer("Subject: " + marker + "\r\n\r\nCRAM-MD5 in clear\r\n")));
    TestServers.awaitDelivered(maildir(), m -> m.contains(marker), Await.LIMIT);
  }

  @ParameterizedTest(name = "chunking={0}")
  @ValueSource(booleans = {true, false})
  void dotsAndBareLineFeedsArriveExactly(boolean chunking) {
    String marker = UUID.randomUUID().toString();
    // Bare LFs and a bare CR: Postfix is set to reject bare LF (smtpd_forbid_bare_newline), so this also proves
    // the client normalized every line end to CRLF.
    String content = "Message-ID: <" + marker + "@example.test>\n"
      + "Subject: dots\n"
      + "\n"
      + ".starts with a dot\n"
      + "..two dots\r\n"
      + ".\n"
      + "bare CR\rnext\n"
      + "\r\n.\r\n"
      + "last line without newline";
    // With CHUNKING the content goes as BDAT (no dot-stuffing); without it as DATA (dot-stuffed): both must arrive
    // exactly as written.
    assertThat(sendAndReadBack(marker, Buffer.buffer(content), chunking))
      .isEqualTo("Message-ID: <" + marker + "@example.test>\n"
        + "Subject: dots\n"
        + "\n"
        + ".starts with a dot\n"
        + "..two dots\n"
        + ".\n"
        + "bare CR\nnext\n"
        + "\n.\n"
        + "last line without newline\n");
  }

  @ParameterizedTest(name = "chunking={0}")
  @ValueSource(booleans = {true, false})
  void eightBitContentIsDeclaredAndArrivesExactly(boolean chunking) {
    String marker = UUID.randomUUID().toString();
    // Postfix offers 8BITMIME and checks MAIL's parameters: BODY=8BITMIME must be well-formed to be accepted.
    String content = "Message-ID: <" + marker + "@example.test>\r\n"
      + "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n"
      + "Content-Type: text/plain; charset=utf-8\r\n"
      + "Content-Transfer-Encoding: 8bit\r\n"
      + "\r\n"
      + "Grüße aus Köln, 東京 and ☃\r\n";
    assertThat(sendAndReadBack(marker, Buffer.buffer(content.getBytes(StandardCharsets.UTF_8)), chunking))
      .isEqualTo(content.replace("\r\n", "\n"));
  }

  /**
   * Sends {@code content} (whose Message-ID holds {@code marker}) through the submission port, with or without
   * CHUNKING, and returns what Postfix stored from that Message-ID header on: the client's bytes as delivered.
   */
  private String sendAndReadBack(String marker, Buffer content, boolean chunking) {
    SmtpClientOptions options = submission().setCredentials(servers.user(), servers.password()).setChunking(chunking);
    Await.result(client(options).send(Envelope.of(servers.user(), "rcpt@example.test"), content));
    String delivered = TestServers.awaitDelivered(maildir(), m -> m.contains(marker), Await.LIMIT);
    return delivered.substring(delivered.indexOf("Message-ID: <" + marker));
  }

  @Test
  void postfixHonoursTheDsnParametersWithASuccessReportThatQuotesThem() {
    String envelopeId = "migo-" + UUID.randomUUID();
    // Postfix offers DSN; with NOTIFY=SUCCESS its virtual delivery agent reports the delivery to the sender, who is
    // in the same catch-all Maildir. The report must quote the envelope id and the original recipient, and return
    // the header only (RET=HDRS).
    DsnOptions dsn = DsnOptions.none().withNotify(DsnOptions.Notify.SUCCESS).withReturn(DsnOptions.Return.HEADERS)
      .withEnvelopeId(envelopeId).withOriginalRecipients(true);
    SmtpClientOptions options = submission().setCredentials(servers.user(), servers.password());

    Await.result(client(options).send(Envelope.of(servers.user(), "rcpt@example.test").withDsn(dsn),
      Buffer.buffer("Subject: dsn " + envelopeId + "\r\n\r\nplease report the delivery\r\n")));

    String report = TestServers.awaitDelivered(maildir(),
      m -> m.contains("Original-Envelope-Id: " + envelopeId), Await.LIMIT);
    assertThat(report).contains("Action: delivered", "Original-Recipient: rfc822;rcpt@example.test",
      "text/rfc822-headers", "Subject: dsn " + envelopeId);
    assertThat(report).doesNotContain("please report the delivery");
  }

  @Test
  void manyMessagesOverOnePooledSession() {
    SmtpClient client = client(submission().setCredentials(servers.user(), servers.password()),
      new PoolOptions().setMaxSize(1));
    String marker = UUID.randomUUID().toString();
    for (int i = 0; i < 5; i++) {
      Await.result(client.send(Envelope.of(servers.user(), "rcpt@example.test"),
        Buffer.buffer("Subject: " + marker + " " + i + "\r\n\r\nbody " + i + "\r\n")));
    }
    for (int i = 0; i < 5; i++) {
      String subject = "Subject: " + marker + " " + i + "\n";
      TestServers.awaitDelivered(maildir(), m -> m.contains(subject), Await.LIMIT);
    }
  }
}
