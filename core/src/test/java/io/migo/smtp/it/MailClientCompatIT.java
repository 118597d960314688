package io.migo.smtp.it;

import io.migo.smtp.MigoMailClient;
import io.migo.smtp.RecipientsRejectedException;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.Maildir;
import java.util.Map;
import java.security.KeyPairGenerator;
import java.security.KeyPair;
import io.vertx.ext.mail.DKIMSignOptions;
import io.vertx.ext.mail.CanonicalizationAlgorithm;
import io.migo.smtp.testkit.DkimVerifier;
import io.migo.smtp.testkit.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailClientBuilder;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.MailResult;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The code a vertx-mail-client user writes (its {@link MailClient}, {@link MailConfig}, {@link MailMessage} and
 * {@link MailResult}, unchanged), run against the real Postfix twice: with vertx-mail-client's own
 * {@code MailClient.create} and with {@code MigoMailClient.create}. Each test body is the same for both, and asserts
 * the same results, so that it shows the one-line change keeps the behaviour: what arrives in the Maildir, the
 * MailResult, and the failure type and reply code when the server refuses.
 */
class MailClientCompatIT {

  /** The address Postfix refuses at RCPT ({@code scripts/test-servers.sh}: 550 5.1.1). */
  private static final String REFUSED = "refused@example.test";
  private static final byte[] ATTACHMENT = "quarterly figures: 1,2,3\n".repeat(40).getBytes(StandardCharsets.UTF_8);

  /** The one line an application changes. */
  enum Factory {
    VERTX_MAIL_CLIENT(MailClient::create, MailClient::builder),
    MIGO(MigoMailClient::create, MigoMailClient::builder);

    private final BiFunction<Vertx, MailConfig, MailClient> create;
    private final Function<Vertx, MailClientBuilder> builder;

    Factory(BiFunction<Vertx, MailConfig, MailClient> create, Function<Vertx, MailClientBuilder> builder) {
      this.create = create;
      this.builder = builder;
    }
  }

  private static TestServers servers;
  private static Vertx vertx;
  private static Maildir maildir;
  private final List<MailClient> clients = new ArrayList<>();

  @BeforeAll
  static void setUp() {
    servers = TestServers.require();
    vertx = Vertx.vertx();
    maildir = Maildir.postfix(servers);
  }

  @AfterAll
  static void tearDown() {
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  @AfterEach
  void closeClients() {
    clients.forEach(c -> Await.result(c.close()));
  }

  private MailClient client(Factory factory, MailConfig config) {
    MailClient client = factory.create.apply(vertx, config);
    clients.add(client);
    return client;
  }

  /** The submission port: STARTTLS required before AUTH, the test CA trusted, the host name verified. */
  private MailConfig submission(String authMethod) {
    return new MailConfig(servers.get("hostname"), servers.port("postfix.submission.port"),
      StartTLSOptions.REQUIRED, LoginOption.REQUIRED)
      .setUsername(servers.user())
      .setPassword(servers.password())
      .setAuthMethods(authMethod)
      .setTrustOptions(new PemTrustOptions().addCertPath(servers.get("ca.pem")));
  }

  /** The implicit-TLS port (465-style), vertx-mail-client's {@code ssl=true}. */
  private MailConfig implicitTls() {
    return new MailConfig(servers.get("hostname"), servers.port("postfix.smtps.port"))
      .setSsl(true)
      .setUsername(servers.user())
      .setPassword(servers.password())
      .setTrustOptions(new PemTrustOptions().addCertPath(servers.get("ca.pem")));
  }

  private static MailMessage message(String marker, String... to) {
    return new MailMessage()
      .setFrom("Alice <" + servers.user() + ">")
      .setTo(List.of(to))
      .setCc("carol@example.test")
      .setBcc("dave@example.test")
      .setSubject("compat " + marker)
      .setText("plain text " + marker)
      .setHtml("<p>html <b>" + marker + "</b></p>")
      .setAttachment(MailAttachment.create()
        .setName("figures.txt")
        .setContentType("text/plain")
        .setData(Buffer.buffer(ATTACHMENT)));
  }

  static Stream<Arguments> factoriesAndMechanisms() {
    return Stream.of(Factory.values()).flatMap(f -> Stream.of(Arguments.of(f, "PLAIN"), Arguments.of(f, "LOGIN")));
  }

  @ParameterizedTest(name = "{0}, AUTH {1} after STARTTLS")
  @MethodSource("factoriesAndMechanisms")
  void sendsTextHtmlAndAttachmentToEveryRecipientOverStarttls(Factory factory, String mechanism) {
    String marker = UUID.randomUUID().toString();
    MailResult result = Await.result(client(factory, submission(mechanism))
      .sendMail(message(marker, "bob@example.test", "erin@example.test")));

    assertDeliveredToAll(marker, result,
      List.of("bob@example.test", "erin@example.test", "carol@example.test", "dave@example.test"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Factory.class)
  void sendsOverImplicitTls(Factory factory) {
    String marker = UUID.randomUUID().toString();
    MailResult result = Await.result(client(factory, implicitTls()).sendMail(message(marker, "bob@example.test")));

    assertDeliveredToAll(marker, result, List.of("bob@example.test", "carol@example.test", "dave@example.test"));
  }

  /**
   * Without allowRcptErrors (the default) one refused recipient fails the whole mail with vertx-mail-client's
   * SMTPException and the server's 550; nothing is delivered to the others. A later mail on the same client is the
   * barrier that shows it: once it has arrived, the refused one would have too.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Factory.class)
  void aRefusedRecipientFailsTheMailWithoutAllowRcptErrors(Factory factory) {
    MailClient client = client(factory, submission("PLAIN"));
    String marker = UUID.randomUUID().toString();

    Throwable failure = Await.failure(client.sendMail(message(marker, "bob@example.test", REFUSED)));

    assertThat(failure).isInstanceOf(SMTPException.class);
    SMTPException e = (SMTPException) failure;
    assertThat(e.getReplyCode()).isEqualTo(550);
    assertThat(e.isPermanent()).isTrue();
    assertThat(e.getReplyMessage()).startsWith("550 5.1.1 <" + REFUSED + ">: Recipient address rejected");
    assertThat(e.getEnhancedStatus()).isEqualTo(SMTPException.EnhancedStatus.OTHER_ADDRESS);
    assertThat(e.getMessage()).contains("550 5.1.1 <" + REFUSED + ">");
    if (factory == Factory.MIGO) {
      // migo's own account, for those who want it: which phase, and that the server holds nothing of the mail.
      assertThat(e.getCause()).isInstanceOf(RecipientsRejectedException.class);
      SmtpException migo = (SmtpException) e.getCause();
      assertThat(migo.phase()).isEqualTo(SmtpPhase.RCPT);
      assertThat(migo.delivery()).isEqualTo(SmtpException.Delivery.REFUSED);
    }

    String barrier = UUID.randomUUID().toString();
    Await.result(client.sendMail(message(barrier, "bob@example.test")));
    maildir.awaitAtLeast(3, barrier);
    assertThat(maildir.containing(marker)).isEmpty();
  }

  /** With allowRcptErrors the mail goes to the accepted recipients, and only they are in the MailResult. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Factory.class)
  void aRefusedRecipientIsLeftOutWithAllowRcptErrors(Factory factory) {
    String marker = UUID.randomUUID().toString();
    MailResult result = Await.result(client(factory, submission("PLAIN").setAllowRcptErrors(true))
      .sendMail(message(marker, "bob@example.test", REFUSED)));

    assertDeliveredToAll(marker, result, List.of("bob@example.test", "carol@example.test", "dave@example.test"));
  }

  /** Every recipient refused: the mail fails even with allowRcptErrors (vertx-mail-client: no recipient accepted). */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Factory.class)
  void everyRecipientRefusedFailsEvenWithAllowRcptErrors(Factory factory) {
    MailMessage message = new MailMessage().setFrom(servers.user()).setTo(REFUSED).setSubject("x").setText("x");
    Throwable failure = Await.failure(client(factory, submission("PLAIN").setAllowRcptErrors(true))
      .sendMail(message));

    assertThat(failure).hasMessageContaining("recipient");
  }

  /**
   * XOAUTH2 against Nodemailer's smtp-server, with the token from the builder's credentials supplier (asked at each
   * authentication): vertx-mail-client's {@code LoginOption.XOAUTH2} after STARTTLS.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Factory.class)
  void xoauth2WithATokenFromTheCredentialsSupplier(Factory factory) {
    MailConfig config = new MailConfig(servers.get("hostname"), servers.port("xoauth2.port"),
      StartTLSOptions.REQUIRED, LoginOption.XOAUTH2)
      .setTrustOptions(new PemTrustOptions().addCertPath(servers.get("ca.pem")));
    MailClient client = factory.builder.apply(vertx).with(config)
      .withCredentialsSupplier(() -> Future.succeededFuture(
        new UsernamePasswordCredentials(servers.user(), servers.get("oauth.token"))))
      .build();
    clients.add(client);
    String marker = UUID.randomUUID().toString();

    MailResult result = Await.result(client.sendMail(new MailMessage().setFrom(servers.user())
      .setTo("bob@example.test").setSubject("xoauth2 " + marker).setText("via XOAUTH2")));

    assertThat(result.getRecipients()).containsExactly("bob@example.test");
    String delivered = TestServers.awaitDelivered(Path.of(servers.get("xoauth2.maildir")), m -> m.contains(marker),
      Await.LIMIT);
    assertThat(delivered).contains(result.getMessageID());
  }

  /**
   * Through Dante's SOCKS5 proxy with its username and password, STARTTLS to the relay: MailConfig's proxyOptions,
   * as vertx-mail-client takes them. The proxy's log shows the tunnel, so the mail did not go around it.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Factory.class)
  void throughASocks5ProxyWithLogin(Factory factory) {
    Maildir proxyLog = new Maildir(Path.of(servers.get("postfix.maildir")), Path.of(servers.get("dante.auth.log")));
    long logFrom = proxyLog.logPosition();
    MailConfig config = submission("PLAIN").setProxyOptions(new ProxyOptions().setType(ProxyType.SOCKS5)
      .setHost("127.0.0.1").setPort(servers.port("dante.auth.port"))
      .setUsername(servers.get("dante.user")).setPassword(servers.get("dante.password")));
    String marker = UUID.randomUUID().toString();

    MailResult result = Await.result(client(factory, config).sendMail(message(marker, "bob@example.test")));

    assertDeliveredToAll(marker, result, List.of("bob@example.test", "carol@example.test", "dave@example.test"));
    proxyLog.awaitLogLine(logFrom, line -> line.contains("pass(1): tcp/connect [: "), "Dante's log of the tunnel");
  }

  /** A wrong password: vertx-mail-client's SMTPException with Postfix's 535, never the password itself. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Factory.class)
  void aWrongPasswordIsA535(Factory factory) {
    MailConfig config = submission("PLAIN").setPassword("wrong-password-x");
    Throwable failure = Await.failure(client(factory, config).sendMail(message("x", "bob@example.test")));

    assertThat(failure).isInstanceOf(SMTPException.class);
    assertThat(((SMTPException) failure).getReplyCode()).isEqualTo(535);
    assertThat(failure.getMessage()).doesNotContain("wrong-password-x");
  }

  /**
   * vertx-mail-client's DKIM options, unchanged: both clients sign, and dkimpy verifies what Postfix delivered
   * (relaxed/relaxed, which survives the relay's header rewrites; the key's record given to dkimpy directly).
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Factory.class)
  void dkimSignOptionsSignTheMail(Factory factory) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    DKIMSignOptions sign = new DKIMSignOptions().setSdid("example.test").setSelector("compat")
      .setPrivateKey(Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()))
      .setHeaderCanonAlgo(CanonicalizationAlgorithm.RELAXED).setBodyCanonAlgo(CanonicalizationAlgorithm.RELAXED);
    MailConfig config = submission("PLAIN").setEnableDKIM(true).addDKIMSignOption(sign);
    String marker = UUID.randomUUID().toString();
    Await.result(client(factory, config).sendMail(new MailMessage().setFrom(servers.user())
      .setTo("bob@example.test").setSubject("compat dkim " + marker).setText("signed " + marker)));

    String delivered = maildir.awaitOne(marker);
    DkimVerifier.Result result = new DkimVerifier(servers)
      .verify(delivered, Map.of("compat._domainkey.example.test", DkimVerifier.record(keys)));
    assertThat(result.pass()).as(result.output()).isTrue();
  }

  /**
   * One delivered copy per accepted recipient (Postfix's catch-all writes a file per recipient, with Delivered-To),
   * each the whole MIME message: text, HTML and the attachment; Bcc not among its headers. The MailResult holds the
   * message's own Message-ID and exactly the accepted recipients, in order.
   */
  private static void assertDeliveredToAll(String marker, MailResult result, List<String> recipients) {
    assertThat(result.getRecipients()).containsExactlyElementsOf(recipients);
    assertThat(result.getMessageID()).isNotBlank();

    List<String> copies = maildir.awaitAtLeast(recipients.size(), marker);
    assertThat(copies).hasSize(recipients.size());
    assertThat(copies.stream().map(MailClientCompatIT::deliveredTo).collect(Collectors.toList()))
      .containsExactlyInAnyOrderElementsOf(recipients);
    String attachment = Base64.getMimeEncoder().encodeToString(ATTACHMENT).replace("\r\n", "\n");
    for (String copy : copies) {
      String headers = copy.substring(0, copy.indexOf("\n\n"));
      assertThat(headers).contains("Message-ID: " + result.getMessageID() + "\n");
      assertThat(headers).contains("Subject: compat " + marker);
      assertThat(headers).doesNotContain("Bcc:").doesNotContain("dave@example.test>\nTo:");
      assertThat(copy).contains("multipart/mixed", "multipart/alternative", "plain text " + marker,
        "<p>html <b>" + marker + "</b></p>", "filename=\"figures.txt\"");
      assertThat(copy.replace("\n", "")).contains(attachment.replace("\n", ""));
    }
  }

  private static String deliveredTo(String copy) {
    Matcher m = Pattern.compile("^Delivered-To: (.+)$", Pattern.MULTILINE).matcher(copy);
    assertThat(m.find()).as("Delivered-To in %s", copy).isTrue();
    return m.group(1).trim();
  }
}
