package io.migo.smtp.impl.session;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * OAUTHBEARER (RFC 7628) on the wire: the exact initial response with the relay's host and port, the error
 * challenge answered with ^A, and the server's JSON status and scope in the final error. Cleartext sessions with
 * {@code allowPlaintextAuth}, because the exchange is the point; the TLS policy is the selector's (a token is a
 * secret: OAUTHBEARER is never chosen in clear without that option).
 */
class OAuthBearerAuthenticationTest extends ScriptedClientTestBase {

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(UTF_8));
  }

  private static Step ehloWithAuth(String mechanisms) {
    return Step.on("EHLO client.example").reply("250-scripted.test", "250-PIPELINING",
      "250-ENHANCEDSTATUSCODES", "250 AUTH " + mechanisms);
  }

  private SmtpClientOptions bearerOptions(int port, String token) {
    return plainOptions(port).setAllowPlaintextAuth(true)
      .setAuthMechanisms(Set.of(AuthMechanism.OAUTHBEARER, AuthMechanism.XOAUTH2))
      .setCredentials("alice@example.test", token);
  }

  @Test
  void sendsTheTokenWithTheRelaysHostAndPortAndIsPreferredOverXoauth2() {
    int port = listen();
    String initial = "n,a=alice@example.test,\u0001host=127.0.0.1\u0001port=" + port
      + "\u0001auth=Bearer valid-token\u0001\u0001";
    server.script(greeting(), ehloWithAuth("XOAUTH2 OAUTHBEARER"),
      Step.on("AUTH OAUTHBEARER " + b64(initial)).reply("235 2.7.0 Authentication successful"),
      simpleTransactionPipelined(), queued(), quit());
    start(bearerOptions(port, "valid-token"));

    Await.result(sendSimple());
    Await.result(client.close());

    assertScriptFollowed();
  }

  @Test
  void errorChallengeIsAnsweredWithCtrlAAndTheJsonStatusAndScopeAreReported() {
    String error = "{\"status\":\"invalid_token\",\"scope\":\"mail.send\",\"schemes\":\"bearer\"}";
    server.script(greeting(), ehloWithAuth("OAUTHBEARER"),
      Step.on("AUTH OAUTHBEARER *").reply("334 " + b64(error)),
      Step.on("AQ==").reply("535 5.7.8 Authentication credentials invalid"));
    start(bearerOptions(listen(), "expired-token"));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertScriptFollowed();
    assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
    assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(e.replyCode()).isEqualTo(535);
    assertThat(e.enhancedCode()).isEqualTo("5.7.8");
    assertThat(e.getMessage()).contains("OAUTHBEARER", "status=invalid_token", "scope=mail.send")
      .doesNotContain("expired-token");
    assertThat(server.transcript()).noneMatch(line -> line.startsWith("C: MAIL"));
  }

  @Test
  void neverSentInClearWithoutAllowPlaintextAuth() {
    server.script(greeting(), ehloWithAuth("OAUTHBEARER"), quit());
    start(plainOptions(listen()).setAuthMechanisms(Set.of(AuthMechanism.OAUTHBEARER))
      .setCredentials("alice@example.test", "valid-token"));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.reason()).isEqualTo(Reason.SECURITY);
    assertThat(e.getMessage()).contains("OAUTHBEARER", "unencrypted");
    assertThat(server.transcript()).noneMatch(line -> line.startsWith("C: AUTH"));
  }
}
