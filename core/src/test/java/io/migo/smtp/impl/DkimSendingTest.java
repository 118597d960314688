package io.migo.smtp.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.migo.smtp.DkimOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.migo.smtp.SendResult;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailMessage;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.Test;

/**
 * The client signs what it sends: the DKIM-Signature field leads the content on the wire, followed by the message as
 * it would have gone unsigned; a message that cannot be signed is refused before any connection.
 */
class DkimSendingTest extends ScriptedClientTestBase {

  private static final String SIGNED_MESSAGE = "From: a@example.test\nSubject: signed\n\n.dot line\nHello\n";

  private static DkimOptions dkim(String algorithm) throws Exception {
    return new DkimOptions().setDomain("example.test").setSelector("s1")
      .setPrivateKey(KeyPairGenerator.getInstance(algorithm).generateKeyPair().getPrivate());
  }

  private static Step envelope() {
    return Step.on("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "DATA")
      .reply("250 2.1.0 Ok", "250 2.1.5 Ok", "354 go ahead");
  }

  @Test
  void rawAndMailMessageContentGoOutSigned() throws Exception {
    // Signed on a worker when sent from an event loop; the test thread is not one, so here it is signed inline.
    server.script(greeting(), Step.on("EHLO client.example").reply("250-scripted.test", "250 PIPELINING"),
      envelope(), queued(), envelope(), queued(), quit());
    start(plainOptions(listen()).setDkim(dkim("RSA")));

    Await.result(client.send(Envelope.of("a@example.test", "b@example.test"), Buffer.buffer(SIGNED_MESSAGE)));
    Await.result(client.send(new MailMessage().setFrom("a@example.test").setTo("b@example.test")
      .setSubject("mime").setText("hi")));
    Await.result(client.close());

    assertScriptFollowed();
    String raw = server.messages().get(0);
    assertThat(raw).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.test; s=s1;");
    // After the field: the content in wire form (CRLF, dot-stuffed), unchanged.
    assertThat(raw).endsWith("\r\nFrom: a@example.test\r\nSubject: signed\r\n\r\n..dot line\r\nHello\r\n");
    assertThat(server.messages().get(1)).startsWith("DKIM-Signature: v=1; a=rsa-sha256;").contains("Subject: mime");
  }

  @Test
  void sentFromAnEventLoopItIsSignedToo() throws Exception {
    server.script(greeting(), Step.on("EHLO client.example").reply("250-scripted.test", "250 PIPELINING"),
      envelope(), queued(), quit());
    start(plainOptions(listen()).setDkim(dkim("RSA")));

    Promise<SendResult> sent = Promise.promise();
    vertx.runOnContext(x -> {
      assertThat(Context.isOnEventLoopThread()).isTrue();
      client.send(Envelope.of("a@example.test", "b@example.test"), Buffer.buffer(SIGNED_MESSAGE)).onComplete(sent);
    });
    Await.result(sent.future());
    Await.result(client.close());

    assertScriptFollowed();
    assertThat(server.messages().get(0)).startsWith("DKIM-Signature: v=1; a=rsa-sha256;");
  }

  @Test
  void aMessageWithoutFromIsRefusedBeforeAnyConnection() throws Exception {
    start(plainOptions(listen()).setDkim(dkim("Ed25519")));

    SmtpException e = (SmtpException) Await.failure(client.send(Envelope.of("a@example.test", "b@example.test"),
      Buffer.buffer("Subject: no from\r\n\r\nhi\r\n")));

    assertThat(e.phase()).isEqualTo(SmtpPhase.INPUT);
    assertThat(e.getMessage()).contains("no From header");
    assertThat(server.connections()).isZero();
  }
}
