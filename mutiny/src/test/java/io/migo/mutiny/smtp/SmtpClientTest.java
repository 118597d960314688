package io.migo.mutiny.smtp;

import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendResult;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The Uni trio against the scripted server. */
class SmtpClientTest extends ScriptedClientTestBase {

  /** Only a hang fails: a slow or busy machine needs far less. */
  private static final Duration WAIT = Duration.ofSeconds(60);

  private SmtpClient shim() {
    SmtpClient shim = SmtpClient.create(io.vertx.mutiny.core.Vertx.newInstance(vertx), plainOptions(listen()),
      new PoolOptions().setMaxSize(1));
    client = shim.getDelegate();
    return shim;
  }

  @Test
  void aUniSendsNothingUntilSubscribed() {
    server.script(greeting(), ehloPipelining(), simpleTransactionPipelined(), queued(), quit());
    SmtpClient shim = shim();

    Uni<SendResult> send = shim.send(Envelope.of("a@example.test", "b@example.test"), Buffer.buffer(MESSAGE));

    // The core client counts a send the moment it is called: none was.
    assertThat(shim.progress().submitted()).isZero();
    assertThat(server.transcript()).noneMatch(line -> line.startsWith("C: MAIL"));

    SendResult result = send.await().atMost(WAIT);
    assertThat(result.serverResponse()).contains("queued as ABC123");
    assertThat(server.transcript()).anyMatch(line -> line.startsWith("C: MAIL"));
    shim.closeAndAwait();
    assertScriptFollowed();
  }

  @Test
  void andAwaitReturnsTheResultAndAndForgetSendsWithoutWaiting() {
    server.script(greeting(), ehloPipelining()).loop(simpleTransactionPipelined(), queued());
    SmtpClient shim = shim();
    Mail mail = Mail.raw(Envelope.of("a@example.test", "b@example.test"), Buffer.buffer(MESSAGE));

    assertThat(shim.sendAndAwait(mail).acceptedRecipients()).containsExactly("b@example.test");
    assertThat(shim.sendAndForget(mail)).isSameAs(shim);

    // Resubscribing the same Uni sends again: each subscription is one send.
    Uni<SendResult> send = shim.send(mail);
    send.await().atMost(WAIT);
    send.await().atMost(WAIT);
    assertThat(shim.progress().submitted()).isEqualTo(4);
    assertScriptFollowed();
  }
}
