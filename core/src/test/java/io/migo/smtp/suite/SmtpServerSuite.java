package io.migo.smtp.suite;

import io.migo.smtp.DsnOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every SMTP server must see the client do, run against each server ({@link ServerUnderTest}: the scripted
 * relay, the real Postfix) and each {@link ClientConfig} (one session, a pool). A concrete class names the pair;
 * the Postfix ones are {@code *IT}, run by failsafe against {@code scripts/test-servers.sh}'s servers.
 *
 * <p>Each message carries a unique marker in its Message-ID, so that it is found in a Maildir shared with other
 * tests and runs.
 */
abstract class SmtpServerSuite {

  private final ClientConfig config;
  private Vertx vertx;
  protected ServerUnderTest server;
  private SmtpClient client;

  protected SmtpServerSuite(ClientConfig config) {
    this.config = config;
  }

  /** Starts (or finds) the server for one test. */
  protected abstract ServerUnderTest start(Vertx vertx);

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    server = start(vertx);
    client = SmtpClient.create(vertx, server.clientOptions(), config.poolOptions());
  }

  @AfterEach
  void tearDown() {
    try {
      if (client != null) {
        Await.result(client.close());
      }
      if (server != null) {
        server.stop();
      }
    } finally {
      Await.result(vertx.close());
    }
  }

  private static String marker() {
    return "suite-" + UUID.randomUUID();
  }

  private static String message(String marker, String subject, String body) {
    return "Message-ID: <" + marker + "@example.test>\r\nSubject: " + subject + "\r\n\r\n" + body;
  }

  /** The message as a mailbox stores it: dot-unstuffed, LF line ends. */
  private static String stored(String message) {
    return message.replace("\r\n", "\n");
  }

  private Future<SendResult> send(String marker, String... recipients) {
    return client.send(Envelope.of(server.sender(), recipients),
      Buffer.buffer(message(marker, "suite " + marker, "Hello from the shared suite.\r\n")));
  }

  @Test
  void sendsOneMessage() {
    String marker = marker();
    String content = message(marker, "one", "Hello.\r\n.a line that starts with a dot\r\n");

    SendResult result = Await.result(client.send(Envelope.of(server.sender(), "rcpt@example.test"),
      Buffer.buffer(content)));

    assertThat(result.acceptedRecipients()).containsExactly("rcpt@example.test");
    assertThat(result.rejectedRecipients()).isEmpty();
    assertThat(result.serverResponse()).contains("queued as");
    assertThat(server.awaitStored(marker)).isEqualTo(stored(content));
  }

  @Test
  void sendsOneMessageToSeveralRecipients() {
    String marker = marker();

    SendResult result = Await.result(send(marker, "one@example.test", "two@example.test", "three@example.test"));

    assertThat(result.acceptedRecipients()).containsExactly("one@example.test", "two@example.test",
      "three@example.test");
    assertThat(result.isPartial()).isFalse();
    assertThat(server.awaitStored(marker)).contains("Hello from the shared suite.");
  }

  @Test
  void aRefusedRecipientIsReportedAndTheOthersGetTheMessage() {
    String marker = marker();
    String refused = server.refusedRecipient();

    SendResult result = Await.result(send(marker, "rcpt@example.test", refused));

    assertThat(result.isPartial()).isTrue();
    assertThat(result.acceptedRecipients()).containsExactly("rcpt@example.test");
    assertThat(result.rejectedRecipients()).singleElement().satisfies(rejection -> {
      assertThat(rejection.address()).isEqualTo(refused);
      assertThat(rejection.replyCode()).isEqualTo(550);
      assertThat(rejection.enhancedCode()).isEqualTo("5.1.1");
      assertThat(rejection.isTransient()).isFalse();
    });
    assertThat(server.awaitStored(marker)).contains("Hello from the shared suite.");
  }

  /** Both servers offer 8BITMIME, SMTPUTF8 and DSN: the client declares each, and the content arrives exactly. */
  @Test
  void eightBitContentToAUtf8AddressWithDsnParameters() {
    String marker = marker();
    String recipient = "grüße-" + marker.substring(6, 14) + "@example.test";
    String content = message(marker, "=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=",
      "Grüße aus Köln, 東京 and ☃\r\n");
    DsnOptions dsn = DsnOptions.none().withNotify(DsnOptions.Notify.FAILURE).withReturn(DsnOptions.Return.HEADERS)
      .withEnvelopeId(marker);

    SendResult result = Await.result(client.send(Envelope.of(server.sender(), recipient).withDsn(dsn),
      Buffer.buffer(content.getBytes(StandardCharsets.UTF_8))));

    assertThat(result.acceptedRecipients()).containsExactly(recipient);
    assertThat(server.awaitStored(marker)).isEqualTo(stored(content));
    server.assertDeclared(marker, List.of("BODY=8BITMIME", "SMTPUTF8", "RET=HDRS", "ENVID=" + marker),
      List.of("NOTIFY=FAILURE"));
  }

  /** One after the other, messages reuse the session the first one opened, whatever the pool's size. */
  @Test
  void aSequenceOfMessagesReusesOneSession() {
    List<String> markers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String marker = marker();
      markers.add(marker);
      Await.result(send(marker, "rcpt@example.test"));
    }

    assertThat(client.poolStats().created()).as("sessions opened").isEqualTo(1);
    for (String marker : markers) {
      assertThat(server.awaitStored(marker)).contains("Subject: suite " + marker);
    }
  }

  /** At once, messages spread over at most the pool's sessions, and each arrives once. */
  @Test
  void concurrentMessagesShareAtMostThePoolsSessions() {
    List<String> markers = new ArrayList<>();
    List<Future<SendResult>> sends = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String marker = marker();
      markers.add(marker);
      sends.add(send(marker, "rcpt@example.test"));
    }
    Await.result(Future.all(sends));

    assertThat(client.poolStats().created()).as("sessions opened").isBetween(1L, (long) config.maxSessions);
    for (String marker : markers) {
      server.awaitStored(marker);
      assertThat(server.storedNow(marker)).as("copies of " + marker).hasSize(1);
    }
  }
}
