package io.migo.smtp.impl.pool;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.vertx.core.Future;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What no retry can fix stops the client at once: it is tried once at the relay, not once per message or per session
 * (a wrong password repeated by every message of a job gets real accounts locked), and every message waiting or sent
 * later fails with that cause at once.
 */
class FailFastTest extends ScriptedClientTestBase {

  private static final int MESSAGES = 40;

  @Test
  void aWrongPasswordIsTriedOnceWhateverTheConcurrency() {
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING", "250 AUTH PLAIN"),
      Step.on("AUTH PLAIN *").reply("535 5.7.8 Error: authentication failed: authentication failure"));
    SmtpClientOptions options = plainOptions(listen()).setAllowPlaintextAuth(true)
      .setAuthMechanisms(Set.of(AuthMechanism.PLAIN)).setCredentials("alice@example.test", "wrong");
    start(options, new PoolOptions().setMaxSize(8));

    List<Throwable> failures = sendAllAndCollectFailures();

    assertThat(failures).hasSize(MESSAGES).allSatisfy(failure -> {
      assertThat(failure).isInstanceOf(SmtpException.class);
      assertThat(((SmtpException) failure).reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
      assertThat(((SmtpException) failure).replyCode()).isEqualTo(535);
    });
    assertThat(server.transcript()).filteredOn(line -> line.startsWith("C: AUTH")).as("AUTH attempts at the relay")
      .hasSize(1);
    assertThat(server.transcripts()).as("connections").hasSize(1);
    assertThat(Await.failure(sendSimple())).as("a send after the stop fails at once, with the same cause")
      .isSameAs(failures.get(0));
    assertThat(server.transcripts()).as("connections after a later send").hasSize(1);
  }

  @Test
  void anUntrustedCertificateIsMetOnce() {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    server.tls(certificate).script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250 STARTTLS"),
      Step.on("STARTTLS").reply("220 2.0.0 Ready to start TLS").thenUpgradeTls());
    start(plainOptions(listen()).setTlsMode(TlsMode.STARTTLS_REQUIRED).setVerifyHostname(false),
      new PoolOptions().setMaxSize(8));

    List<Throwable> failures = sendAllAndCollectFailures();

    assertThat(failures).hasSize(MESSAGES)
      .allSatisfy(failure -> assertThat(((SmtpException) failure).reason()).isEqualTo(Reason.TLS));
    assertThat(server.transcripts()).as("connections").hasSize(1);
  }

  @Test
  void authenticationRequiredAtMailStopsTheClient() {
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250 PIPELINING"))
      .loop(Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("530 5.7.0 Authentication required", "503 5.5.1 Error: need MAIL command",
          "503 5.5.1 Error: need MAIL command"));
    start(plainOptions(listen()), new PoolOptions().setMaxSize(4));

    List<Throwable> failures = sendAllAndCollectFailures();

    assertThat(failures).hasSize(MESSAGES)
      .allSatisfy(failure -> assertThat(((SmtpException) failure).replyCode()).isEqualTo(530));
    assertThat(server.transcript()).filteredOn(line -> line.startsWith("C: MAIL FROM"))
      .as("MAILs sent: at most one per session that was open when the first 530 came").hasSizeLessThanOrEqualTo(4);
  }

  @Test
  void aFailureThatMayPassLaterDoesNotStopTheClient() {
    server.script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250 PIPELINING"),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("451 4.3.0 Try again later", "503 5.5.1 Error: need MAIL command", "503 5.5.1 Error: need MAIL command"),
      Step.on("RSET", "MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 2.0.0 Ok", "250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>"),
      queued(), quit());
    start(plainOptions(listen()), new PoolOptions().setMaxSize(1));

    Throwable first = Await.failure(sendSimple());
    Await.result(sendSimple());
    Await.result(client.close());

    assertThat(((SmtpException) first).replyCode()).isEqualTo(451);
    assertScriptFollowed();
  }

  /** Sends {@link #MESSAGES} messages at once (more than the pool has sessions) and waits for every one to fail. */
  private List<Throwable> sendAllAndCollectFailures() {
    List<Future<SendResult>> sends = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      sends.add(sendSimple());
    }
    List<Throwable> failures = new ArrayList<>();
    for (Future<SendResult> send : sends) {
      failures.add(Await.failure(send));
    }
    return failures;
  }
}
