package io.migo.smtp.it;

import io.migo.smtp.Envelope;
import io.migo.smtp.MailProtocol;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.RecipientRejection;
import io.migo.smtp.RecipientsRejectedException;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.Maildir;
import io.migo.smtp.testkit.RealServerTestBase;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LMTP interop with a real Dovecot LMTP server ({@code scripts/test-servers.d/dovecot-lmtp.sh}), over TCP (STARTTLS,
 * the test CA verified, as by default) and over its Unix socket: per-recipient replies after the data reported
 * recipient by recipient, the message in each delivered user's Maildir (Dovecot saves before it answers, so the file
 * is there when the result is), an unknown user refused at RCPT, a quota refusal after the data, and many messages
 * pipelined over one session, with CHUNKING (Dovecot offers it) and with DATA.
 */
class LmtpIT extends RealServerTestBase {

  /** TCP, with the default TLS mode (STARTTLS required) and the test CA: Dovecot offers STARTTLS on its listener. */
  private static SmtpClientOptions overTcp() {
    return servers.verifiedOptions(servers.port("lmtp.port")).setProtocol(MailProtocol.LMTP);
  }

  /** The Unix socket, every other option left as it is by default (no TLS on a local socket). */
  private static SmtpClientOptions overSocket() {
    return new SmtpClientOptions().setUnixSocket(servers.get("lmtp.socket")).setProtocol(MailProtocol.LMTP);
  }

  private static String user1() {
    return servers.get("lmtp.user1");
  }

  private static String user2() {
    return servers.get("lmtp.user2");
  }

  private static Maildir maildir(String key) {
    return new Maildir(Path.of(servers.get(key)), null);
  }

  private static Buffer message(String marker, int padding) {
    return Buffer.buffer("From: sender@example.test\r\nTo: users@lmtp.test\r\nSubject: " + marker + "\r\n"
      + "Message-ID: <" + marker + "@example.test>\r\n\r\nHello over LMTP.\r\n"
      + ("x".repeat(70) + "\r\n").repeat(padding / 72 + 1));
  }

  private static String marker() {
    return "lmtp-" + UUID.randomUUID();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "unix socket"})
  void twoKnownRecipientsAreBothDeliveredEachWithItsOwnReply(String transport) {
    String marker = marker();
    SmtpClient client = client(transport.equals("tcp") ? overTcp() : overSocket());

    SendResult result = Await.result(client.send(Envelope.of("sender@example.test", user1(), user2()),
      message(marker, 0)));

    assertThat(SendOutcome.Status.of(result)).isEqualTo(SendOutcome.Status.DELIVERED);
    assertThat(result.acceptedRecipients()).containsExactly(user1(), user2());
    assertThat(result.serverResponse()).as("Dovecot's per-recipient replies")
      .containsPattern("2\\.0\\.0 <" + user1() + "> \\S+ Saved")
      .containsPattern("2\\.0\\.0 <" + user2() + "> \\S+ Saved");
    assertThat(maildir("lmtp.user1.maildir").containing(marker)).hasSize(1);
    assertThat(maildir("lmtp.user2.maildir").containing(marker)).hasSize(1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "unix socket"})
  void aKnownAndAnUnknownRecipientIsPartiallyDeliveredNamingTheUnknown(String transport) {
    String marker = marker();
    String unknown = servers.get("lmtp.unknown.user");
    SmtpClient client = client(transport.equals("tcp") ? overTcp() : overSocket());

    SendResult result = Await.result(client.send(Envelope.of("sender@example.test", user1(), unknown),
      message(marker, 0)));

    assertThat(SendOutcome.Status.of(result)).isEqualTo(SendOutcome.Status.PARTIALLY_DELIVERED);
    assertThat(result.acceptedRecipients()).containsExactly(user1());
    assertThat(result.rejectedRecipients()).hasSize(1);
    RecipientRejection rejection = result.rejectedRecipients().get(0);
    assertThat(rejection.address()).isEqualTo(unknown);
    assertThat(rejection.replyCode()).isEqualTo(550);
    assertThat(rejection.enhancedCode()).isEqualTo("5.1.1");
    assertThat(rejection.message()).contains("User doesn't exist");
    assertThat(rejection.phase()).isEqualTo(SmtpPhase.RCPT);
    assertThat(maildir("lmtp.user1.maildir").containing(marker)).hasSize(1);
  }

  /** Dovecot's quota is checked when it saves, after the data: the recipient's own reply refuses it. */
  @Test
  void aRecipientOverQuotaIsRefusedAfterTheDataWhileTheOtherGetsTheMessage() {
    String marker = marker();
    String full = servers.get("lmtp.quota.user");
    int overQuota = Integer.parseInt(servers.get("lmtp.quota.bytes")) * 2;
    SmtpClient client = client(overSocket());

    SendResult result = Await.result(client.send(Envelope.of("sender@example.test", user1(), full),
      message(marker, overQuota)));

    assertThat(SendOutcome.Status.of(result)).isEqualTo(SendOutcome.Status.PARTIALLY_DELIVERED);
    assertThat(result.acceptedRecipients()).containsExactly(user1());
    assertThat(result.rejectedRecipients()).extracting(RecipientRejection::address, RecipientRejection::replyCode,
      RecipientRejection::enhancedCode).containsExactly(org.assertj.core.groups.Tuple.tuple(full, 552, "5.2.2"));
    assertThat(result.rejectedRecipients().get(0).message()).contains("Quota exceeded");
    assertThat(result.rejectedRecipients().get(0).phase()).isEqualTo(SmtpPhase.DATA_END);
    assertThat(maildir("lmtp.user1.maildir").containing(marker)).hasSize(1);
    assertThat(maildir("lmtp.quota.user.maildir").containing(marker)).isEmpty();
  }

  @Test
  void aMessageRefusedForEveryRecipientAfterTheDataIsRejected() {
    String full = servers.get("lmtp.quota.user");
    int overQuota = Integer.parseInt(servers.get("lmtp.quota.bytes")) * 2;
    SmtpClient client = client(overTcp());

    Throwable failure = Await.failure(client.send(Envelope.of("sender@example.test", full),
      message(marker(), overQuota)));

    assertThat(failure).isInstanceOf(RecipientsRejectedException.class);
    RecipientsRejectedException refused = (RecipientsRejectedException) failure;
    assertThat(refused.phase()).isEqualTo(SmtpPhase.DATA_END);
    assertThat(refused.rejections()).extracting(RecipientRejection::address).containsExactly(full);
    assertThat(refused.replyCode()).isEqualTo(552);
    assertThat(SendOutcome.statusOf(failure)).isEqualTo(SendOutcome.Status.REJECTED);
  }

  /**
   * Many messages over one session: with CHUNKING (Dovecot offers it) each message's BDAT follows its envelope's
   * replies; with DATA each envelope rides in the write of the previous message's final dot. Every message reaches
   * both Maildirs, once.
   */
  @ParameterizedTest(name = "chunking {0}")
  @ValueSource(booleans = {true, false})
  void manyMessagesArePipelinedOverOneSession(boolean chunking) {
    int count = 40;
    String marker = marker();
    SmtpClient client = client(overSocket().setChunking(chunking), new PoolOptions().setMaxSize(1));

    List<Future<SendResult>> sends = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sends.add(client.send(Envelope.of("sender@example.test", user1(), user2()), message(marker + "-" + i, 0)));
    }
    Await.result(Future.all(sends));

    for (Future<SendResult> sent : sends) {
      assertThat(sent.result().acceptedRecipients()).containsExactly(user1(), user2());
    }
    assertThat(maildir("lmtp.user1.maildir").containing(marker)).hasSize(count);
    assertThat(maildir("lmtp.user2.maildir").containing(marker)).hasSize(count);
    assertThat(client.poolStats().created()).as("one session carried them all").isEqualTo(1);
  }

  @Test
  void overTcpWithoutTlsTheLmtpPortStillWorks() {
    String marker = marker();
    SmtpClient client = client(overTcp().setTlsMode(TlsMode.NONE));

    SendResult result = Await.result(client.send(Envelope.of("sender@example.test", user1()), message(marker, 0)));

    assertThat(result.acceptedRecipients()).containsExactly(user1());
    assertThat(maildir("lmtp.user1.maildir").containing(marker)).hasSize(1);
  }
}
