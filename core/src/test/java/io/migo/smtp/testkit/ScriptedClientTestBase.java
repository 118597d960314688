package io.migo.smtp.testkit;

import io.migo.smtp.Envelope;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.RetryPolicy;
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
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A scripted server per test and a client pointed at it; clients are closed and the script checked after each test. */
@ExtendWith(VertxExtension.class)
public abstract class ScriptedClientTestBase {

  protected static final String MESSAGE = "Subject: test\r\n\r\nHello\r\n";

  protected Vertx vertx;
  protected ScriptedSmtpServer server;
  protected SmtpClient client;

  @BeforeEach
  protected void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.server = new ScriptedSmtpServer(vertx);
  }

  @AfterEach
  protected void tearDown() {
    if (client != null) {
      Await.result(client.close());
    }
    Await.result(server.stop());
  }

  /**
   * Options for a plain-text session to the scripted server, and no retries, so that each script plays once (retries
   * have their own test). 5 s is a thousand times what a local scripted reply needs even on a slow or busy machine,
   * and it stays short because some tests (a silent server, a session left waiting) end only when a default timeout
   * closes the session at tear-down: a longer one would make each of them that much slower. Tests of a timeout set
   * their own, shorter one.
   */
  protected SmtpClientOptions plainOptions(int port) {
    return new SmtpClientOptions()
      .setHost("127.0.0.1")
      .setPort(port)
      .setTlsMode(TlsMode.NONE)
      .setEhloName("client.example")
      .setGreetingTimeout(Duration.ofSeconds(5))
      .setCommandTimeout(Duration.ofSeconds(5))
      .setDataTimeout(Duration.ofSeconds(5))
      .setRetryPolicy(RetryPolicy.none());
  }

  protected SmtpClient start(SmtpClientOptions options) {
    return start(options, new PoolOptions());
  }

  protected SmtpClient start(SmtpClientOptions options, PoolOptions poolOptions) {
    client = SmtpClient.create(vertx, options, poolOptions);
    return client;
  }

  protected int listen() {
    return Await.result(server.start());
  }

  protected Future<SendResult> sendSimple() {
    return client.send(Envelope.of("a@example.test", "b@example.test"), Buffer.buffer(MESSAGE));
  }

  protected void assertScriptFollowed() {
    assertThat(server.errors()).as("departures from the script; transcript: %s", server.transcript()).isEmpty();
  }

  protected static Step greeting() {
    return Step.greeting("220 scripted.test ESMTP");
  }

  protected static Step ehloPipelining() {
    return Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING", "250 ENHANCEDSTATUSCODES");
  }

  protected static Step simpleTransactionPipelined() {
    return Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
      .reply("250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>");
  }

  protected static Step queued() {
    return Step.onData().reply("250 2.0.0 Ok: queued as ABC123");
  }

  /**
   * The simple transaction and QUIT as rules, answered in any order on any session: for tests in which which pooled
   * session carries which message is up to the pool (and to how fast each connection happens to be set up).
   */
  protected static Step[] transactionAndQuitRules() {
    return new Step[] {
      Step.on("MAIL FROM:<a@example.test>").reply("250 2.1.0 Ok"),
      Step.on("RCPT TO:<b@example.test>").reply("250 2.1.5 Ok"),
      Step.on("DATA").reply("354 End data with <CR><LF>.<CR><LF>"),
      Step.onData().reply("250 2.0.0 Ok: queued as ABC123"),
      quit()
    };
  }

  protected static Step quit() {
    return Step.on("QUIT").reply("221 2.0.0 Bye").thenClose();
  }
}
