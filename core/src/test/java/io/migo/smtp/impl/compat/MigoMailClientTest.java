package io.migo.smtp.impl.compat;

import io.migo.smtp.MigoMailClient;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedSmtpServer;
import io.migo.smtp.testkit.Step;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.MailResult;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** MigoMailClient's own behaviour against a scripted server: results, failures, sharing, closing, the encoder. */
@ExtendWith(VertxExtension.class)
class MigoMailClientTest {

  private Vertx vertx;
  private ScriptedSmtpServer server;
  private final List<MailClient> open = new ArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.server = new ScriptedSmtpServer(vertx);
  }

  @AfterEach
  void tearDown() {
    open.forEach(c -> c.close());
    Await.result(server.stop());
  }

  private MailConfig config(int port) {
    return new MailConfig("127.0.0.1", port, StartTLSOptions.DISABLED, LoginOption.NONE)
      .setOwnHostname("client.example");
  }

  private MailClient create(MailConfig config) {
    MailClient client = MigoMailClient.create(vertx, config);
    open.add(client);
    return client;
  }

  private static MailMessage message() {
    return new MailMessage().setFrom("a@example.test").setTo("b@example.test").setSubject("s").setText("hello");
  }

  private static Step greeting() {
    return Step.greeting("220 scripted.test ESMTP");
  }

  private static Step ehlo(String... extra) {
    List<String> lines = new ArrayList<>(List.of("250-scripted.test", "250-PIPELINING"));
    lines.addAll(List.of(extra));
    lines.add("250 ENHANCEDSTATUSCODES");
    return Step.on("EHLO client.example").reply(lines.toArray(String[]::new));
  }

  /**
   * MAIL and RCPT pipelined, DATA only after their replies: with allowRcptErrors off (the default) a refused recipient
   * must stop the message before its data.
   */
  private static Step[] transaction() {
    return new Step[] {
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>").reply("250 2.1.0 Ok", "250 2.1.5 Ok"),
      Step.on("DATA").reply("354 go ahead"),
      Step.onData().reply("250 2.0.0 Ok: queued as Q1")
    };
  }

  private static Step quit() {
    return Step.on("QUIT").reply("221 2.0.0 Bye").thenClose();
  }

  /** A whole session: these steps, one transaction, QUIT. */
  private static Step[] session(Step... opening) {
    List<Step> steps = new ArrayList<>(List.of(opening));
    steps.addAll(List.of(transaction()));
    steps.add(quit());
    return steps.toArray(Step[]::new);
  }

  private void assertScriptFollowed() {
    assertThat(server.errors()).as("transcript: %s", server.transcript()).isEmpty();
  }

  @Test
  void theMailResultHasTheMessageIdOfTheMessageSentAndTheAcceptedRecipients() {
    server.script(greeting(), ehlo()).loop(transaction()).answer(quit());
    MailClient client = create(config(Await.result(server.start())));

    MailResult result = Await.result(client.sendMail(message()));

    assertThat(result.getRecipients()).containsExactly("b@example.test");
    assertThat(server.storedMessages()).singleElement().asString()
      .contains("Message-ID: " + result.getMessageID() + "\n");
    assertThat(result.getMessageID()).endsWith("@client.example>");
    assertScriptFollowed();
  }

  @Test
  void aRefusedSenderIsVertxMailClientsSmtpExceptionWithMigosAsItsCause() {
    server.script(greeting(), ehlo(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>")
        .reply("553-5.7.1 Sender address rejected:", "553 5.7.1 not owned by user", "503 5.5.1 no sender"))
      .answer(Step.on("RSET").reply("250 2.0.0 Ok"), quit());
    MailClient client = create(config(Await.result(server.start())));

    Throwable failure = Await.failure(client.sendMail(message()));

    assertThat(failure).isInstanceOf(SMTPException.class);
    SMTPException e = (SMTPException) failure;
    assertThat(e.getReplyCode()).isEqualTo(553);
    assertThat(e.isPermanent()).isTrue();
    assertThat(e.getReplyMessages()).containsExactly("553-5.7.1 Sender address rejected:",
      "553 5.7.1 not owned by user");
    assertThat(e.getEnhancedStatus()).isEqualTo(SMTPException.EnhancedStatus.OTHER_SECURITY);
    assertThat(e.getMessage()).startsWith("MAIL: ").contains("553 5.7.1 not owned by user");
    assertThat(e.getCause()).isInstanceOf(SmtpException.class);
    assertThat(((SmtpException) e.getCause()).phase()).isEqualTo(SmtpPhase.MAIL);
  }

  @Test
  void aFailureWithoutAReplyStaysMigosSmtpException() {
    MailConfig config = config(Await.result(server.start())).setStarttls(StartTLSOptions.REQUIRED);
    server.script(greeting(), ehlo(), quit());
    MailClient client = create(config);

    Throwable failure = Await.failure(client.sendMail(message()));

    assertThat(failure).isInstanceOf(SmtpException.class).isNotInstanceOf(SMTPException.class);
    assertThat(((SmtpException) failure).phase()).isEqualTo(SmtpPhase.STARTTLS);
    assertThat(failure.getMessage()).contains("STARTTLS");
  }

  @Test
  void aMessageWithoutSenderFailsBeforeAnythingIsSent() {
    MailClient client = create(config(Await.result(server.start())));

    Throwable failure = Await.failure(client.sendMail(new MailMessage().setTo("b@example.test").setText("x")));

    assertThat(failure).isInstanceOf(SmtpException.class).hasMessageContaining("neither From nor a bounce address");
    assertThat(server.connections()).isZero();
  }

  @Test
  void closingTwiceFailsAndASendAfterCloseFailsWithReasonClosed() {
    MailClient client = MigoMailClient.create(vertx, config(Await.result(server.start())));

    Await.result(client.close());

    assertThat(Await.failure(client.close())).isInstanceOf(IllegalStateException.class).hasMessage("Already closed");
    Throwable late = Await.failure(client.sendMail(message()));
    assertThat(late).isInstanceOf(SmtpException.class);
    assertThat(((SmtpException) late).reason()).isEqualTo(SmtpException.Reason.CLOSED);
  }

  @Test
  void withAllowRcptErrorsDataGoesInTheSameWriteAsTheEnvelope() {
    server.script(greeting(), ehlo(),
      Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "RCPT TO:<c@example.test>", "DATA")
        .reply("250 2.1.0 Ok", "550 5.1.1 no such user", "250 2.1.5 Ok", "354 go ahead"),
      Step.onData().reply("250 2.0.0 Ok: queued as Q2")).answer(quit());
    MailClient client = create(config(Await.result(server.start())).setAllowRcptErrors(true));

    MailResult result = Await.result(client.sendMail(message().setTo(List.of("b@example.test", "c@example.test"))));

    assertThat(result.getRecipients()).containsExactly("c@example.test");
    assertScriptFollowed();
  }

  @Test
  void keepAliveFalseOpensAConnectionPerMessage() {
    server.script(session(greeting(), ehlo())).script(session(greeting(), ehlo()));
    MailClient client = create(config(Await.result(server.start())).setKeepAlive(false));

    Await.result(client.sendMail(message()));
    Await.result(client.sendMail(message()));

    assertThat(server.connections()).isEqualTo(2);
    assertScriptFollowed();
  }

  @Test
  void sharedClientsShareOneSessionAndItClosesWithTheLast() {
    server.script(greeting(), ehlo()).loop(transaction()).answer(quit());
    MailConfig config = config(Await.result(server.start())).setMaxPoolSize(1);
    MailClient first = MigoMailClient.createShared(vertx, config, "compat-test");
    MailClient second = MigoMailClient.createShared(vertx, config, "compat-test");

    Await.result(first.sendMail(message()));
    Await.result(second.sendMail(message()));
    Await.result(first.close());
    Await.result(second.sendMail(message()));

    assertThat(server.connections()).as("one pooled session carried all three").isEqualTo(1);
    assertThat(server.transcript()).doesNotContain("C: QUIT");
    Await.result(second.close());
    assertThat(server.transcript()).contains("C: QUIT");
  }

  @Test
  void aSharedPoolIsGoneWithItsLastUserAndANewOneStartsAfresh() {
    server.script(session(greeting(), ehlo())).script(session(greeting(), ehlo()));
    MailConfig config = config(Await.result(server.start()));
    MailClient first = MigoMailClient.createShared(vertx, config);
    Await.result(first.sendMail(message()));
    Await.result(first.close());

    MailClient again = MigoMailClient.createShared(vertx, config);
    Await.result(again.sendMail(message()));
    Await.result(again.close());

    assertThat(server.connections()).isEqualTo(2);
  }

  @Test
  void theBuildersCredentialsSupplierIsAskedAtEachAuthentication() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    String challenge = "<1896.697170952@scripted.test>";
    for (int i = 1; i <= 2; i++) {
      server.script(session(greeting(), ehlo("250-AUTH CRAM-MD5"),
        Step.on("AUTH CRAM-MD5").reply("334 " + base64(challenge)),
        Step.on(base64("alice " + hmacMd5Hex("token-" + i, challenge))).reply("235 2.7.0 ok")));
    }
    MailClient client = MigoMailClient.builder(vertx)
      .with(config(Await.result(server.start())).setKeepAlive(false).setAuthMethods("CRAM-MD5"))
      .withCredentialsSupplier(() -> Future.succeededFuture(
        new UsernamePasswordCredentials("alice", "token-" + asked.incrementAndGet())))
      .build();
    open.add(client);

    Await.result(client.sendMail(message()));
    Await.result(client.sendMail(message()));

    assertThat(asked).hasValue(2);
    assertScriptFollowed();
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String hmacMd5Hex(String key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacMD5");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
    return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void userAgentAndMultiPartOnlyShapeTheMimeMessageAsInVertxMailClient() {
    server.script(greeting(), ehlo()).loop(transaction()).answer(quit());
    MailClient client = create(config(Await.result(server.start())).setUserAgent("acme-mailer")
      .setMultiPartOnly(true));

    // vertx-mail-client's encoder reads multiPartOnly when an attachment list is present, even an empty one.
    MailResult result = Await.result(client.sendMail(message().setAttachment(new ArrayList<>())));

    String stored = server.storedMessages().get(0);
    assertThat(stored).contains("Content-Type: multipart/mixed;").contains("acme-mailer");
    assertThat(result.getMessageID()).contains("acme-mailer");
  }

  @Test
  void replyLinesKeepTheEnhancedCodeOfARefusedRecipient() {
    SmtpException migo = new io.migo.smtp.RecipientsRejectedException("refused",
      List.of(new io.migo.smtp.RecipientRejection("x@example.test", 550, "5.1.1", "<x@example.test>: no such user")));
    ReplyException e = new ReplyException(migo);
    assertThat(e.getReplyMessages()).containsExactly("550 5.1.1 <x@example.test>: no such user");
    assertThat(e.getEnhancedStatus()).isEqualTo(SMTPException.EnhancedStatus.OTHER_ADDRESS);
    assertThat(e.getCause()).isSameAs(migo);
  }
}
