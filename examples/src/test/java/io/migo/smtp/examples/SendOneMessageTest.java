package io.migo.smtp.examples;

import io.migo.smtp.SendResult;
import io.migo.smtp.demo.EmbeddedSmtpServer.ReceivedMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SendOneMessageTest extends EmbeddedServerTestBase {

  @Test
  void sendsOneMessageOverStartTlsWithAuth() throws Exception {
    SendResult result = Await.result(SendOneMessage.send(vertx, settings(), "one@example.com"));

    assertThat(result.acceptedRecipients()).containsExactly("one@example.com");
    assertThat(server.received()).isEqualTo(1);
    ReceivedMessage received = server.lastMessages().get(0);
    assertThat(received.sender()).isEqualTo("sender@example.com");
    assertThat(received.recipients()).containsExactly("one@example.com");
    assertThat(received.contentAsString())
      .contains("Subject: Hello from migo-smtp", "One message, sent with the Future API.");
  }

  @Test
  void mainWithoutArgumentsRunsAgainstItsOwnEmbeddedServer() throws Exception {
    SendOneMessage.main(new String[0]);
  }
}
