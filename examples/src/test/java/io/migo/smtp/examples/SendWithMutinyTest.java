package io.migo.smtp.examples;

import io.migo.smtp.SendResult;
import io.migo.smtp.demo.EmbeddedSmtpServer.ReceivedMessage;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SendWithMutinyTest extends EmbeddedServerTestBase {

  @Test
  void sendsOneMessageThroughTheMutinyFacade() {
    Uni<SendResult> send = SendWithMutiny.send(io.vertx.mutiny.core.Vertx.newInstance(vertx), settings(),
      "mutiny@example.com");
    assertThat(server.received()).as("a Uni is lazy: nothing is sent before subscription").isZero();

    SendResult result = send.await().atMost(Duration.ofSeconds(60));

    assertThat(result.acceptedRecipients()).containsExactly("mutiny@example.com");
    assertThat(server.received()).isEqualTo(1);
    ReceivedMessage received = server.lastMessages().get(0);
    assertThat(received.recipients()).containsExactly("mutiny@example.com");
    assertThat(received.contentAsString())
      .contains("Subject: Hello from migo-smtp and Mutiny", "One message, sent with the Mutiny facade.");
  }
}
