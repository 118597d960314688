package io.migo.smtp.impl;

import io.migo.smtp.Envelope;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client works whatever context creates it: sessions always run on an event loop, so a worker verticle (whose
 * tasks run on pool threads) or a plain thread can create one and send.
 */
class AnyContextTest extends ScriptedClientTestBase {

  @Test
  void aClientCreatedInAWorkerVerticleSends() {
    server.script(greeting(), ehloPipelining()).loop(simpleTransactionPipelined(), queued());
    int port = listen();
    Promise<SendResult> sent = Promise.promise();
    AbstractVerticle worker = new AbstractVerticle() {
      @Override
      public void start() {
        assertThat(context.isWorkerContext()).isTrue();
        SmtpClient inWorker = SmtpClient.create(vertx, plainOptions(port));
        // Several sends, so that callbacks of one session come back while another is in flight.
        Future.all(send(inWorker), send(inWorker), send(inWorker))
          .compose(all -> send(inWorker))
          .eventually(inWorker::close)
          .onComplete(sent);
      }
    };
    Await.result(vertx.deployVerticle(worker, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));

    assertThat(Await.result(sent.future()).acceptedRecipients()).containsExactly("b@example.test");
    assertThat(server.messages()).hasSize(4);
  }

  @Test
  void aClientCreatedOnAPlainThreadSendsFromAnotherPlainThread() throws Exception {
    server.script(greeting(), ehloPipelining()).loop(simpleTransactionPipelined(), queued());
    int port = listen();
    SmtpClient created = CompletableFuture.supplyAsync(() -> SmtpClient.create(vertx, plainOptions(port))).get();
    client = created;

    Future<SendResult> sent = CompletableFuture.supplyAsync(() -> send(created)).get();

    Await.result(sent);
    assertThat(server.messages()).hasSize(1);
  }

  private static Future<SendResult> send(SmtpClient client) {
    return client.send(Envelope.of("a@example.test", "b@example.test"), Buffer.buffer(MESSAGE));
  }
}
