package io.migo.smtp.examples;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailMessage;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * XOAUTH2 (Gmail, Microsoft 365) with tokens that expire: instead of fixed credentials the client gets a
 * {@code Supplier<Future<Credentials>>}, which it calls for every new session, so each session authenticates with
 * whatever token is current. Sessions live for a bounded number of messages here, so that a short run opens several
 * and the {@link TokenService} is asked more than once.
 *
 * <p>The embedded demo server does not speak XOAUTH2 (SubEthaSMTP offers PLAIN and LOGIN only), so this one always
 * needs a relay: {@code HOST PORT CA_PEM_FILE USER ACCESS_TOKEN}, e.g. the test server that
 * {@code scripts/test-servers.sh start} runs on port 10588. The token service then hands out that token each time
 * it "refreshes"; in an application it would call the identity provider's token endpoint.
 */
public final class XOAuth2WithTokenSupplier {

  /** Messages per session before the pool replaces it, which fetches a token again. */
  static final int MESSAGES_PER_SESSION = 2;

  private XOAuth2WithTokenSupplier() {
  }

  public static void main(String[] args) throws Exception {
    Examples.exit(run(args, System.out, System.err));
  }

  /** What {@code main} does, with the exit status returned instead of ended with. */
  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    String arguments = "HOST PORT CA_PEM_FILE USER ACCESS_TOKEN";
    ExampleSettings settings;
    try {
      settings = ExampleSettings.fromArgs(args);
    } catch (IllegalArgumentException e) {
      return Examples.usage("XOAuth2WithTokenSupplier", arguments, e.getMessage(), err);
    }
    String accessToken = args[4];
    Vertx vertx = Vertx.vertx();
    try {
      TokenService tokens = new TokenService(vertx, Duration.ofMinutes(5), n -> accessToken);
      List<SendResult> results = send(vertx, settings, tokens, "someone@example.com", 3)
        .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
      out.println("sent " + results.size() + " messages; tokens fetched: " + tokens.issued());
      return 0;
    } finally {
      vertx.close().await();
    }
  }

  /** The settings' host, port and trust; the user with XOAUTH2 only, its token from {@code tokens}. */
  public static SmtpClientOptions clientOptions(ExampleSettings settings, TokenService tokens) {
    String user = settings.user();
    return settings.clientOptions()
      .setAuthMechanisms(Set.of(AuthMechanism.XOAUTH2))
      .setCredentialsSupplier(() -> tokens.token().map(token -> new Credentials(user, token)));
  }

  /** Sends {@code count} messages one after the other, then closes the client. */
  public static Future<List<SendResult>> send(Vertx vertx, ExampleSettings settings, TokenService tokens,
                                              String recipient, int count) {
    SmtpClient client = SmtpClient.create(vertx, clientOptions(settings, tokens),
      new PoolOptions().setMaxSize(1).setMaxMessagesPerSession(MESSAGES_PER_SESSION));
    List<SendResult> results = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 1; i <= count; i++) {
      MailMessage message = new MailMessage()
        .setFrom(settings.user())
        .setTo(recipient)
        .setSubject("XOAUTH2 message " + i + " of " + count)
        .setText("Authenticated with an OAuth 2.0 access token from a supplier.");
      chain = chain.compose(v -> client.send(message)).map(result -> {
        results.add(result);
        return null;
      });
    }
    return chain.map(v -> List.copyOf(results)).eventually(client::close);
  }
}
