package io.migo.smtp.impl.session;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SASL exchanges on the wire. These sessions run without TLS with {@code allowPlaintextAuth}, because the point
 * here is the exchange itself; the TLS policy is tested in {@link HandshakeTest} and against Postfix.
 */
class AuthenticationTest extends ScriptedClientTestBase {

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(UTF_8));
  }

  private static Step ehloWithAuth(String mechanisms) {
    return Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING",
      "250-ENHANCEDSTATUSCODES", "250 AUTH " + mechanisms);
  }

  private SmtpClientOptions authOptions(int port, AuthMechanism... allowed) {
    return plainOptions(port).setAllowPlaintextAuth(true).setAuthMechanisms(Set.of(allowed))
      .setCredentials("alice@example.test", "s3cret");
  }

  @Test
  void plainSendsTheInitialResponseOnTheAuthLine() {
    server.script(greeting(), ehloWithAuth("LOGIN PLAIN"),
      Step.on("AUTH PLAIN " + b64("\0alice@example.test\0s3cret")).reply("235 2.7.0 Authentication successful"),
      simpleTransactionPipelined(), queued(), quit());
    start(authOptions(listen(), AuthMechanism.PLAIN, AuthMechanism.LOGIN));

    Await.result(sendSimple());
    Await.result(client.close());

    assertScriptFollowed();
  }

  @Test
  void loginAnswersChallengesByOrderNotByPromptText() {
    server.script(greeting(), ehloWithAuth("LOGIN"),
      Step.on("AUTH LOGIN").reply("334 " + b64("User Name\0")),
      Step.on(b64("alice@example.test")).reply("334 " + b64("Password\0")),
      Step.on(b64("s3cret")).reply("235 2.7.0 Authentication successful"),
      simpleTransactionPipelined(), queued(), quit());
    start(authOptions(listen(), AuthMechanism.LOGIN));

    Await.result(sendSimple());
    Await.result(client.close());

    assertScriptFollowed();
  }

  @Test
  void wrongPasswordIsAuthenticationFailedWithoutTheSecretInTheMessage() {
    server.script(greeting(), ehloWithAuth("PLAIN"),
      Step.on("AUTH PLAIN *").reply("535 5.7.8 Error: authentication failed: authentication failure"));
    start(authOptions(listen(), AuthMechanism.PLAIN));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
    assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(e.replyCode()).isEqualTo(535);
    assertThat(e.enhancedCode()).isEqualTo("5.7.8");
    assertThat(e.getMessage()).doesNotContain("s3cret").doesNotContain(b64("\0alice@example.test\0s3cret"));
  }

  @Test
  void weakMechanismAndEncryptionRequiredAreSecurityErrors() {
    server.script(greeting(), ehloWithAuth("LOGIN"),
      Step.on("AUTH LOGIN").reply("538 5.7.11 Encryption required for requested authentication mechanism"));
    start(authOptions(listen(), AuthMechanism.LOGIN));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.reason()).isEqualTo(Reason.SECURITY);
    assertThat(e.replyCode()).isEqualTo(538);
    assertThat(e.getMessage()).contains("encryption");
  }

  @Test
  void xoauth2ErrorChallengeIsAnsweredWithAnEmptyLineAndReported() {
    String error = "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"https://mail.google.com/\"}";
    server.script(greeting(), ehloWithAuth("XOAUTH2"),
      Step.on("AUTH XOAUTH2 " + b64("user=alice@example.test\u0001auth=Bearer expired-token\u0001\u0001"))
        .reply("334 " + b64(error)),
      Step.on("").reply("535 5.7.8 Username and Password not accepted"));
    start(plainOptions(listen()).setAllowPlaintextAuth(true).setAuthMechanisms(Set.of(AuthMechanism.XOAUTH2))
      .setCredentials("alice@example.test", "expired-token"));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertScriptFollowed();
    assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(e.getMessage()).contains("\"status\":\"401\"").doesNotContain("expired-token");
  }

  @Test
  void credentialsSupplierIsCalledForEachAuthentication() {
    AtomicInteger calls = new AtomicInteger();
    server.script(greeting(), ehloWithAuth("XOAUTH2"),
      Step.on("AUTH XOAUTH2 " + b64("user=alice@example.test\u0001auth=Bearer token-1\u0001\u0001"))
        .reply("235 2.7.0 Accepted"),
      simpleTransactionPipelined(), queued(), quit());
    start(plainOptions(listen()).setAllowPlaintextAuth(true).setAuthMechanisms(Set.of(AuthMechanism.XOAUTH2))
      .setCredentialsSupplier(() -> Future.succeededFuture(
        new Credentials("alice@example.test", "token-" + calls.incrementAndGet()))));

    Await.result(sendSimple());
    Await.result(client.close());

    assertScriptFollowed();
    assertThat(calls).hasValue(1);
  }

  @Test
  void refusesToSendAPasswordInClearByDefault() {
    server.script(greeting(), ehloWithAuth("PLAIN LOGIN"), quit());
    start(plainOptions(listen()).setCredentials("alice@example.test", "s3cret"));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
    assertThat(e.reason()).isEqualTo(Reason.SECURITY);
    assertThat(server.transcript()).noneMatch(line -> line.startsWith("C: AUTH"));
  }

  @Test
  void cramMd5IsAllowedInClearBecauseItDoesNotRevealThePassword() {
    server.script(greeting(), ehloWithAuth("PLAIN CRAM-MD5"),
      Step.on("AUTH CRAM-MD5").reply("334 " + b64("<1896.697170952@postoffice.reston.mci.net>")),
      Step.on(b64("tim b913a602c7eda7a495b4e6e7334d3890")).reply("235 2.7.0 Authentication successful"),
      simpleTransactionPipelined(), queued(), quit());
    start(plainOptions(listen()).setCredentials("tim", "tanstaaftanstaaf"));

    Await.result(sendSimple());
    Await.result(client.close());

    assertScriptFollowed();
  }
}
