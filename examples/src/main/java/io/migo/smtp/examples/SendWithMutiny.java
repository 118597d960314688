package io.migo.smtp.examples;

import io.migo.mutiny.smtp.SmtpClient;
import io.migo.smtp.SendResult;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.mail.MailMessage;
import io.vertx.mutiny.core.Vertx;

import java.io.PrintStream;
import java.time.Duration;

/**
 * One message with the Mutiny facade ({@code io.migo.mutiny.smtp.SmtpClient}): {@code send} returns a lazy
 * {@link Uni} (nothing happens until it is subscribed to), composed here with a retry on failure and a close that
 * runs whatever the outcome. The client is created from the Mutiny {@link Vertx}, as every Mutiny binding is.
 *
 * <p>Run with no arguments to send to an embedded server, or with {@code HOST PORT CA_PEM_FILE USER PASSWORD}.
 */
public final class SendWithMutiny {

  private SendWithMutiny() {
  }

  public static void main(String[] args) throws Exception {
    Examples.exit(run(args, System.out, System.err));
  }

  /** What {@code main} does, with the exit status returned instead of ended with. */
  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    return Examples.run("SendWithMutiny", Examples.RELAY_ARGUMENTS, args, out, err, settings -> {
      Vertx vertx = Vertx.vertx();
      try {
        SendResult result = send(vertx, settings, "someone@example.com").await().atMost(Duration.ofMinutes(1));
        return "accepted for " + result.acceptedRecipients() + ": " + result.serverResponse();
      } finally {
        vertx.closeAndAwait();
      }
    });
  }

  /**
   * Sends one text message to {@code recipient}, retrying up to twice after a failure (a send that never reached
   * the server is safe to repeat), then closes the client.
   */
  public static Uni<SendResult> send(Vertx vertx, ExampleSettings settings, String recipient) {
    SmtpClient client = SmtpClient.create(vertx, settings.clientOptions());
    MailMessage message = new MailMessage()
      .setFrom("sender@example.com")
      .setTo(recipient)
      .setSubject("Hello from migo-smtp and Mutiny")
      .setText("One message, sent with the Mutiny facade.");
    return client.send(message)
      .onFailure().retry().withBackOff(Duration.ofMillis(100)).atMost(2)
      .onItem().invoke(result -> System.out.println("server said: " + result.serverResponse()))
      .onTermination().call(client::close);
  }
}
