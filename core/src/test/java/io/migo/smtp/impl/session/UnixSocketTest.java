package io.migo.smtp.impl.session;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Envelope;
import io.migo.smtp.MailProtocol;
import io.migo.smtp.RetryPolicy;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A relay on a Unix domain socket, through Vert.x's default (JDK) transport: LMTP's LHLO over it, no TLS unless asked
 * for (the socket never leaves the machine), and the cleartext AUTH mechanisms allowed there while TCP without TLS
 * still refuses them.
 */
class UnixSocketTest extends ScriptedClientTestBase {

  private Path dir;
  private Path socket;

  @BeforeEach
  void socketPath() throws IOException {
    dir = Files.createTempDirectory("migo-uds");
    socket = dir.resolve("lmtp.sock");
  }

  @AfterEach
  void removeSocket() throws IOException {
    Files.deleteIfExists(socket);
    Files.deleteIfExists(dir);
  }

  /** Everything at its default but the socket, the protocol and short timeouts. */
  private SmtpClientOptions socketOptions() {
    return new SmtpClientOptions()
      .setUnixSocket(socket.toString())
      .setProtocol(MailProtocol.LMTP)
      .setCommandTimeout(Duration.ofSeconds(5))
      .setDataTimeout(Duration.ofSeconds(5))
      .setRetryPolicy(RetryPolicy.none());
  }

  private static Step lhloOffering(String... extensions) {
    String[] lines = new String[extensions.length + 1];
    lines[0] = "250-scripted.test";
    for (int i = 0; i < extensions.length; i++) {
      lines[i + 1] = (i == extensions.length - 1 ? "250 " : "250-") + extensions[i];
    }
    return Step.on("LHLO *").reply(lines);
  }

  private SendResult sendOne() {
    return Await.result(client.send(Envelope.of("a@example.test", "b@example.test"), Buffer.buffer(MESSAGE)));
  }

  @Test
  void lmtpOverTheSocketWithoutStartTlsEvenWhenOffered() {
    server.script(greeting(), lhloOffering("PIPELINING", "STARTTLS"),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 OK", "250 OK", "354 OK"),
      Step.onData().reply("250 2.0.0 <b@example.test> id Saved"),
      quit());
    Await.result(server.startOnUnixSocket(socket));
    start(socketOptions());

    assertThat(sendOne().acceptedRecipients()).containsExactly("b@example.test");
    assertThat(server.transcript()).noneMatch(line -> line.contains("STARTTLS") && line.startsWith("C:"));
    Await.result(client.close());
    assertScriptFollowed();
  }

  @Test
  void cleartextAuthIsAllowedOnTheSocket() {
    server.script(greeting(), lhloOffering("PIPELINING", "AUTH PLAIN"),
      Step.on("AUTH PLAIN *").reply("235 2.7.0 Authentication successful"),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
        .reply("250 OK", "250 OK", "354 OK"),
      Step.onData().reply("250 2.0.0 <b@example.test> id Saved"),
      quit());
    Await.result(server.startOnUnixSocket(socket));
    start(socketOptions().setCredentials("user", "secret").setAuthMechanisms(Set.of(AuthMechanism.PLAIN)));

    assertThat(sendOne().acceptedRecipients()).containsExactly("b@example.test");
    Await.result(client.close());
    assertScriptFollowed();
  }

  @Test
  void overTcpWithoutTlsTheSameAuthIsStillRefused() {
    server.script(greeting(), Step.on("LHLO client.example").reply("250-scripted.test", "250 AUTH PLAIN"));
    start(plainOptions(listen()).setProtocol(MailProtocol.LMTP).setCredentials("user", "secret")
      .setAuthMechanisms(Set.of(AuthMechanism.PLAIN)));

    SmtpException failure = (SmtpException) Await.failure(sendSimple());

    assertThat(failure.reason()).isEqualTo(SmtpException.Reason.SECURITY);
    assertThat(server.transcript()).noneMatch(line -> line.startsWith("C: AUTH"));
  }

  @Test
  void anExplicitTlsModeHoldsOnTheSocket() {
    server.script(greeting(), lhloOffering("PIPELINING"));
    Await.result(server.startOnUnixSocket(socket));
    start(socketOptions().setTlsMode(TlsMode.STARTTLS_REQUIRED));

    SmtpException failure = (SmtpException) Await.failure(client.send(
      Envelope.of("a@example.test", "b@example.test"), Buffer.buffer(MESSAGE)));

    assertThat(failure.reason()).isEqualTo(SmtpException.Reason.SECURITY);
    assertThat(failure.getMessage()).contains("STARTTLS");
  }
}
