package io.migo.smtp.impl.session;

import static io.migo.smtp.impl.session.ScramServerScript.encode;
import static org.assertj.core.api.Assertions.assertThat;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * SCRAM on the wire against a scripted server that plays the server's side for real: a correct exchange, then each
 * way a server can fail to prove itself or send a bad server-first message. In every failure the mail is not sent
 * (no MAIL FROM in the transcript). Cleartext sessions with the default options: SCRAM does not reveal the password,
 * so it needs neither TLS nor allowPlaintextAuth.
 */
class ScramAuthenticationTest extends ScriptedClientTestBase {

  private static final String PASSWORD = "s3cret-Grüße";

  private static Step ehloWithAuth(String mechanisms) {
    return Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING",
      "250-ENHANCEDSTATUSCODES", "250 AUTH " + mechanisms);
  }

  /** Default mechanisms (PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256, SCRAM-SHA-1), no TLS, no allowPlaintextAuth. */
  private SmtpClientOptions defaults(int port) {
    return plainOptions(port).setCredentials("alice@example.test", PASSWORD);
  }

  @Test
  void scramSha256IsPreferredAndTheServerIsVerified() {
    ScramServerScript scram = new ScramServerScript("SHA-256", PASSWORD);
    String[] serverFinal = new String[1];
    server.script(greeting(), ehloWithAuth("PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256"),
      Step.on("AUTH SCRAM-SHA-256 *").answer(line -> scram.serverFirst(line, 4096)),
      Step.on("*").answer(line -> "334 " + encode(serverFinal[0] = scram.serverFinalFor(line))),
      Step.on("").reply("235 2.7.0 Authentication successful"),
      simpleTransactionPipelined(), queued(), quit());
    start(defaults(listen()));

    Await.result(sendSimple());
    Await.result(client.close());

    assertScriptFollowed();
    assertThat(scram.clientProofValid()).as("the client's proof checks out on the server side").isTrue();
    assertThat(serverFinal[0]).startsWith("v=");
  }

  @Test
  void scramSha1WithAUtf8PasswordWhenOnlySha1IsOffered() {
    ScramServerScript scram = new ScramServerScript("SHA-1", PASSWORD);
    server.script(greeting(), ehloWithAuth("PLAIN SCRAM-SHA-1"),
      Step.on("AUTH SCRAM-SHA-1 *").answer(line -> scram.serverFirst(line, 10000)),
      Step.on("*").answer(line -> "334 " + encode(scram.serverFinalFor(line))),
      Step.on("").reply("235 2.7.0 Authentication successful"),
      simpleTransactionPipelined(), queued(), quit());
    start(defaults(listen()));

    Await.result(sendSimple());
    Await.result(client.close());

    assertScriptFollowed();
    assertThat(scram.clientProofValid()).isTrue();
  }

  @Test
  void wrongServerSignatureFailsAndTheMailIsNotSent() {
    ScramServerScript impostor = new ScramServerScript("SHA-256", "not-the-password");
    server.script(greeting(), ehloWithAuth("SCRAM-SHA-256"),
      Step.on("AUTH SCRAM-SHA-256 *").answer(line -> impostor.serverFirst(line, 4096)),
      // An impostor accepts any proof, but its signature is computed from a password it does not know.
      Step.on("*").answer(line -> "334 " + encode(impostor.serverFinalFor(line))),
      Step.on("").reply("235 2.7.0 Authentication successful"),
      simpleTransactionPipelined(), queued(), quit());
    start(defaults(listen()));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertServerNotProven(e, "does not match");
  }

  @Test
  void successWithoutServerSignatureFailsAndTheMailIsNotSent() {
    ScramServerScript scram = new ScramServerScript("SHA-256", PASSWORD);
    server.script(greeting(), ehloWithAuth("SCRAM-SHA-256"),
      Step.on("AUTH SCRAM-SHA-256 *").answer(line -> scram.serverFirst(line, 4096)),
      Step.on("*").reply("235 2.7.0 Authentication successful"),
      simpleTransactionPipelined(), queued(), quit());
    start(defaults(listen()));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertServerNotProven(e, "without sending its server-final message");
  }

  @Test
  void serverErrorAttributeIsAnAuthenticationFailure() {
    ScramServerScript scram = new ScramServerScript("SHA-256", PASSWORD);
    server.script(greeting(), ehloWithAuth("SCRAM-SHA-256"),
      Step.on("AUTH SCRAM-SHA-256 *").answer(line -> scram.serverFirst(line, 4096)),
      Step.on("*").reply("334 " + encode("e=invalid-proof")),
      Step.on("*").reply("535 5.7.8 Authentication failed"));
    start(defaults(listen()));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
    assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(e.getMessage()).contains("could not prove it knows the password", "e=invalid-proof")
      .doesNotContain(PASSWORD);
    assertNoMail();
  }

  @Test
  void serverNonceNotExtendingOursIsRefusedBeforeTheProofIsSent() {
    ScramServerScript scram = new ScramServerScript("SHA-256", PASSWORD);
    server.script(greeting(), ehloWithAuth("SCRAM-SHA-256"),
      Step.on("AUTH SCRAM-SHA-256 *")
        .answer(line -> scram.serverFirstRaw(line, "r=replayedNonceFromAnotherExchange,s=c2FsdA==,i=4096")),
      Step.on("*").reply("235 2.7.0 Authentication successful"));
    start(defaults(listen()));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
    assertThat(e.reason()).isEqualTo(Reason.PROTOCOL);
    assertThat(e.getMessage()).contains("does not extend the client's nonce");
    assertThat(server.transcript()).filteredOn(line -> line.startsWith("C: ")).hasSize(2); // EHLO, AUTH: no proof
    assertNoMail();
  }

  @Test
  void iterationCountOutOfBoundsIsRefusedBeforeTheProofIsSent() {
    for (int iterations : new int[] {1024, 10_000_000}) {
      ScramServerScript scram = new ScramServerScript("SHA-256", PASSWORD);
      server.script(greeting(), ehloWithAuth("SCRAM-SHA-256"),
        Step.on("AUTH SCRAM-SHA-256 *").answer(line -> scram.serverFirst(line, iterations)),
        Step.on("*").reply("235 2.7.0 Authentication successful"));
      start(defaults(listen()));

      SmtpException e = (SmtpException) Await.failure(sendSimple());

      assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
      assertThat(e.reason()).isEqualTo(Reason.SECURITY);
      assertThat(e.getMessage()).contains(String.valueOf(iterations), "PBKDF2 iterations");
      assertThat(server.transcript()).filteredOn(line -> line.startsWith("C: ")).hasSize(2);
      assertNoMail();
      Await.result(client.close());
      Await.result(server.stop());
      client = null;
      server = new io.migo.smtp.testkit.ScriptedSmtpServer(vertx);
    }
  }

  @Test
  void malformedServerFirstIsAProtocolError() {
    ScramServerScript scram = new ScramServerScript("SHA-256", PASSWORD);
    server.script(greeting(), ehloWithAuth("SCRAM-SHA-256"),
      Step.on("AUTH SCRAM-SHA-256 *").answer(line -> scram.serverFirstRaw(line, "i=4096,s=c2FsdA==")),
      Step.on("*").reply("235 2.7.0 Authentication successful"));
    start(defaults(listen()));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.reason()).isEqualTo(Reason.PROTOCOL);
    assertThat(e.getMessage()).contains("SCRAM-SHA-256: malformed server-first message");
    assertNoMail();
  }

  @Test
  void refusedProofIsAuthenticationFailed() {
    ScramServerScript scram = new ScramServerScript("SHA-256", PASSWORD);
    server.script(greeting(), ehloWithAuth("SCRAM-SHA-256"),
      Step.on("AUTH SCRAM-SHA-256 *").answer(line -> scram.serverFirst(line, 4096)),
      Step.on("*").reply("535 5.7.8 Error: authentication failed: authentication failure"));
    start(plainOptions(listen()).setAuthMechanisms(Set.of(AuthMechanism.SCRAM_SHA_256))
      .setCredentials("alice@example.test", "wrong"));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(e.replyCode()).isEqualTo(535);
    assertThat(e.enhancedCode()).isEqualTo("5.7.8");
    assertThat(e.getMessage()).contains("SCRAM-SHA-256");
  }

  private void assertServerNotProven(SmtpException e, String words) {
    assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
    assertThat(e.reason()).isEqualTo(Reason.SECURITY);
    assertThat(e.getMessage()).contains("the server could not prove it knows the password", words,
      "the mail was not sent").doesNotContain(PASSWORD);
    assertNoMail();
  }

  private void assertNoMail() {
    assertThat(server.transcript()).noneMatch(line -> line.startsWith("C: MAIL"));
  }
}
