package io.migo.smtp.impl.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.migo.smtp.Credentials;
import io.migo.smtp.impl.protocol.Reply;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Only SCRAM's costly step (the answer to the server-first message, which runs PBKDF2) goes to the offloader; the
 * other steps, and the other mechanisms, run inline. The channel is a fake that answers each command from a list.
 */
class AuthenticatorOffloadTest {

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(UTF_8));
  }

  @Test
  void onlyThePbkdf2StepIsOffloaded() {
    List<Reply> replies = new ArrayList<>(List.of(
        Reply.of(334, b64("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")),
        Reply.of(334, b64("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")),
        Reply.of(235, "2.7.0 Authentication successful")));
    List<String> offloaded = new ArrayList<>();
    Authenticator authenticator = new Authenticator(command -> Future.succeededFuture(replies.remove(0)),
        work -> {
          offloaded.add("step");
          return call(work);
        });

    Future<Void> result = authenticator.authenticate(
        new ScramSha256Mechanism(new Credentials("user", "pencil"), "rOprNGfwEbeRWgbNEkqO"));

    assertThat(result.succeeded()).as("RFC 7677 exchange: %s", result.cause()).isTrue();
    assertThat(offloaded).hasSize(1);
    assertThat(replies).isEmpty();
  }

  @Test
  void cheapMechanismsAreNeverOffloaded() {
    List<String> offloaded = new ArrayList<>();
    Authenticator authenticator = new Authenticator(
        command -> Future.succeededFuture(Reply.of(334, b64("<1896.697170952@postoffice.reston.mci.net>"))),
        work -> {
          offloaded.add("step");
          return call(work);
        });

    authenticator.authenticate(new CramMd5Mechanism(new Credentials("tim", "tanstaaftanstaaf")));

    assertThat(offloaded).isEmpty();
  }

  private static Future<byte[]> call(Callable<byte[]> work) {
    try {
      return Future.succeededFuture(work.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }
}
