package io.migo.smtp.impl;

import io.migo.smtp.Envelope;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code close()} right after {@code send()}, as a program's last lines do: the sends go, then QUIT. */
class GracefulCloseTest extends ScriptedClientTestBase {

  @Test
  void sendsAcceptedBeforeCloseAreDeliveredThenEverySessionQuits() {
    // Rules, not a loop: if one connection is slow to set up, the other may carry both messages, and that is fine.
    server.script(greeting(), ehloPipelining()).answer(transactionAndQuitRules());
    start(plainOptions(listen()), new PoolOptions().setMaxSize(2));

    // Neither send has a session yet when close() is called: both are still connecting.
    Future<SendResult> first = sendSimple();
    Future<SendResult> second = sendSimple();
    Future<Void> closed = client.close();

    Await.result(first);
    Await.result(second);
    Await.result(closed);
    assertThat(server.messages()).hasSize(2);
    assertThat(server.transcripts()).as("each session ended with QUIT").hasSize(2)
      .allSatisfy(transcript -> assertThat(transcript).anySatisfy(line -> assertThat(line).isEqualTo("C: QUIT")));
    assertScriptFollowed();
  }

  @Test
  void sendsWaitingForASessionStillGetOne() {
    server.script(greeting(), ehloPipelining()).loop(simpleTransactionPipelined(), queued());
    start(plainOptions(listen()), new PoolOptions().setMaxSize(1));

    List<Future<SendResult>> sends = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sends.add(sendSimple());
    }
    Future<Void> closed = client.close();

    sends.forEach(Await::result);
    Await.result(closed);
    assertThat(server.messages()).hasSize(5);
  }

  @Test
  void aSendAfterCloseFailsWithReasonClosedAndSendsNothing() {
    server.script(greeting(), ehloPipelining()).loop(simpleTransactionPipelined(), queued(),
      Step.on("QUIT").reply("221 2.0.0 Bye").thenClose());
    start(plainOptions(listen()));
    Await.result(sendSimple());
    Future<Void> closed = client.close();

    Throwable late = Await.failure(client.send(Envelope.of("a@example.test", "b@example.test"), Buffer.buffer(MESSAGE)));

    assertThat(late).isInstanceOf(SmtpException.class);
    assertThat(((SmtpException) late).reason()).isEqualTo(Reason.CLOSED);
    Await.result(closed);
    assertThat(server.messages()).hasSize(1);
    Await.result(client.close()); // closing again completes too
  }

  @Test
  void vertxCanBeClosedWhenTheClientHasClosed() {
    server.script(greeting(), ehloPipelining()).loop(simpleTransactionPipelined(), queued(), quit());
    int port = listen();
    Vertx own = Vertx.vertx();
    SmtpClient ownClient = SmtpClient.create(own, plainOptions(port));
    Future<SendResult> sent = ownClient.send(Envelope.of("a@example.test", "b@example.test"), Buffer.buffer(MESSAGE));

    // A program's last line: the client's close future must not be tied to an event loop that vertx.close() stops.
    Await.result(ownClient.close().transform(ar -> own.close()));

    Await.result(sent);
    assertThat(server.messages()).hasSize(1);
  }
}
