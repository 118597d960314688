package io.migo.smtp.testkit;

import io.migo.smtp.Envelope;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.RecipientRejection;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.TlsMode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scripted server played by {@link RelayRules} without PIPELINING: what a command-line end-to-end test needs from
 * a server (one command, one reply; refused recipients quoted; numbered queue ids; many connections and messages;
 * contents as a mailbox stores them).
 */
@ExtendWith(VertxExtension.class)
class RelayRulesTest {

  private ScriptedSmtpServer server;
  private SmtpClient client;

  @BeforeEach
  void setUp(Vertx vertx) {
    server = RelayRules.install(new ScriptedSmtpServer(vertx), "ENHANCEDSTATUSCODES");
    int port = Await.result(server.start());
    client = SmtpClient.create(vertx, new SmtpClientOptions().setHost("127.0.0.1").setPort(port)
      .setTlsMode(TlsMode.NONE), new PoolOptions().setMaxSize(4));
  }

  @AfterEach
  void tearDown() {
    Await.result(client.close());
    Await.result(server.stop());
    assertThat(server.errors()).as("departures; transcript: %s", server.transcript()).isEmpty();
  }

  @Test
  void storesTheMessageDotUnstuffedWithLineFeedsAndNumbersTheQueueIds() {
    SendResult first = Await.result(client.send(Envelope.of("sender@example.com", "rcpt@example.com"),
      Buffer.buffer("Subject: raw\r\n\r\n.leading dot\r\nbody\r\n")));
    SendResult second = Await.result(client.send(Envelope.of("sender@example.com", "rcpt@example.com"),
      Buffer.buffer("Subject: two\r\n\r\nx\r\n")));

    assertThat(first.serverResponse()).endsWith("queued as Q1");
    assertThat(second.serverResponse()).endsWith("queued as Q2");
    assertThat(server.storedMessages()).containsExactly("Subject: raw\n\n.leading dot\nbody\n", "Subject: two\n\nx\n");
    assertThat(server.messages()).first().isEqualTo("Subject: raw\r\n\r\n..leading dot\r\nbody\r\n");
    assertThat(server.reads()).as("no pipelining offered, none used")
      .noneMatch(read -> read.startsWith("MAIL") && read.contains("RCPT"));
  }

  @Test
  void refusesRecipientsStartingWithRejectAndQuotesThem() {
    SendResult result = Await.result(client.send(
      Envelope.of("sender@example.com", "rcpt@example.com", "reject@example.com"), Buffer.buffer("Subject: x\r\n\r\nx\r\n")));

    assertThat(result.acceptedRecipients()).containsExactly("rcpt@example.com");
    assertThat(result.rejectedRecipients()).containsExactly(
      new RecipientRejection("reject@example.com", 550, "5.1.1", "<reject@example.com>: Recipient address rejected"));
  }

  @Test
  void takesManyMessagesOverSeveralConnections() {
    List<Future<SendResult>> sends = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sends.add(client.send(Envelope.of("sender@example.com", "rcpt@example.com"),
        Buffer.buffer("Subject: " + i + "\r\n\r\n" + ("y".repeat(98) + "\r\n").repeat(51))));
    }
    Await.result(Future.all(sends));

    assertThat(server.storedMessages()).hasSize(20).allSatisfy(m -> assertThat(m.length()).isGreaterThan(5000));
    assertThat(server.connections()).isBetween(1, 4);
  }
}
