package io.migo.smtp.examples;

import io.migo.smtp.SendResult;
import io.migo.smtp.demo.EmbeddedSmtpServer.ReceivedMessage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

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
    assertThat(received.tls()).as("the session did STARTTLS before the message").isTrue();
    assertThat(received.authenticatedUser()).as("and authenticated as the configured user")
      .isEqualTo(settings().user());
  }

  @Test
  void withoutArgumentsItRunsAgainstItsOwnEmbeddedServer() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = SendOneMessage.run(new String[0], print(out), print(err));

    assertThat(status).as("stderr: %s", err).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
      .containsPattern("embedded SMTP server on \\S+:\\d+\\R")
      .contains("accepted for [someone@example.com]: ")
      .endsWith("the embedded server received 1 message(s)" + System.lineSeparator());
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }
}
