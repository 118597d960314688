package io.migo.smtp.impl.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoginMechanismTest {

  private static final Credentials CREDENTIALS = new Credentials("jörg@example.com", "pässwörd");

  /** Real servers' prompts (base64 of "Username:"/"Password:", "User Name\0"/"Password\0", nothing); none matter. */
  @ParameterizedTest
  @ValueSource(strings = {"VXNlcm5hbWU6 UGFzc3dvcmQ6", "VXNlciBOYW1lAA== UGFzc3dvcmQA", "= ="})
  void answersByOrderNotByPrompt(String prompts) {
    String[] challenges = prompts.split(" ");
    LoginMechanism login = new LoginMechanism(CREDENTIALS);

    assertThat(login.mechanism()).isEqualTo(AuthMechanism.LOGIN);
    assertThat(login.initialResponse()).isNull();
    assertThat(login.respond(Base64Sasl.decodeChallenge(challenges[0]))).isEqualTo("jörg@example.com".getBytes(UTF_8));
    assertThat(login.respond(Base64Sasl.decodeChallenge(challenges[1]))).isEqualTo("pässwörd".getBytes(UTF_8));
  }

  @Test
  void aPasswordPromptFirstStillGetsTheUserNameFirst() {
    LoginMechanism login = new LoginMechanism(CREDENTIALS);

    assertThat(login.respond("Password:".getBytes(UTF_8))).isEqualTo("jörg@example.com".getBytes(UTF_8));
  }

  @Test
  void aThirdChallengeIsAProtocolError() {
    LoginMechanism login = new LoginMechanism(CREDENTIALS);
    login.respond("Username:".getBytes(UTF_8));
    login.respond("Password:".getBytes(UTF_8));

    assertThatThrownBy(() -> login.respond("Again:".getBytes(UTF_8)))
        .isInstanceOfSatisfying(SmtpException.class, e -> {
          assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
          assertThat(e.reason()).isEqualTo(Reason.PROTOCOL);
          assertThat(e.getMessage()).contains("LOGIN").doesNotContain("pässwörd");
        });
  }

  @Test
  void toStringHidesThePassword() {
    assertThat(new LoginMechanism(CREDENTIALS).toString()).contains("jörg@example.com").doesNotContain("pässwörd");
  }
}
