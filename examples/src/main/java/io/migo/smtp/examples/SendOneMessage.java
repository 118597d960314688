package io.migo.smtp.examples;

import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailMessage;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * One message with the {@link Future} API: create a client, send, close. The client pools its sessions; for one
 * message that is one session, opened on the first send and closed with QUIT by {@link SmtpClient#close()}.
 *
 * <p>Run with no arguments to send to an embedded server, or with {@code HOST PORT CA_PEM_FILE USER PASSWORD}.
 */
public final class SendOneMessage {

  private SendOneMessage() {
  }

  public static void main(String[] args) throws Exception {
    Examples.exit(run(args, System.out, System.err));
  }

  /** What {@code main} does, with the exit status returned instead of ended with. */
  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    return Examples.run("SendOneMessage", Examples.RELAY_ARGUMENTS, args, out, err, settings -> {
      Vertx vertx = Vertx.vertx();
      try {
        SendResult result = send(vertx, settings, "someone@example.com")
          .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        return "accepted for " + result.acceptedRecipients() + ": " + result.serverResponse();
      } finally {
        vertx.close().await();
      }
    });
  }

  /** Sends one text message to {@code recipient}, then closes the client whatever the outcome. */
  public static Future<SendResult> send(Vertx vertx, ExampleSettings settings, String recipient) {
    SmtpClient client = SmtpClient.create(vertx, settings.clientOptions());
    MailMessage message = new MailMessage()
      .setFrom("sender@example.com")
      .setTo(recipient)
      .setSubject("Hello from migo-smtp")
      .setText("One message, sent with the Future API.");
    return client.send(message)
      .onSuccess(result -> System.out.println("server said: " + result.serverResponse()))
      .eventually(client::close);
  }
}
