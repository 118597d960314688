package io.migo.smtp.impl.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import org.junit.jupiter.api.Test;

class XOAuth2MechanismTest {

  private static final String TOKEN = "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg";
  private static final Credentials GOOGLE_EXAMPLE = new Credentials("someuser@example.com", TOKEN);

  @Test
  void googleDocumentedInitialResponse() {
    XOAuth2Mechanism xoauth2 = new XOAuth2Mechanism(GOOGLE_EXAMPLE);

    assertThat(xoauth2.mechanism()).isEqualTo(AuthMechanism.XOAUTH2);
    assertThat(xoauth2.initialResponse())
        .isEqualTo(("user=someuser@example.com\u0001auth=Bearer " + TOKEN + "\u0001\u0001").getBytes(UTF_8));
    assertThat(Base64Sasl.encodeInitialResponse(xoauth2.initialResponse())).isEqualTo(
        "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==");
    assertThat(xoauth2.serverError()).isNull();
  }

  @Test
  void recordsTheErrorChallengeAndAnswersEmpty() {
    XOAuth2Mechanism xoauth2 = new XOAuth2Mechanism(GOOGLE_EXAMPLE);
    byte[] challenge = Base64Sasl.decodeChallenge(
        "eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==");

    byte[] response = xoauth2.respond(challenge);

    assertThat(response).isEmpty();
    assertThat(Base64Sasl.encode(response)).isEmpty(); // the empty line the server waits for
    assertThat(xoauth2.serverError())
        .isEqualTo("{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"https://mail.google.com/\"}");
  }

  @Test
  void anEmptyChallengeIsNoServerError() {
    XOAuth2Mechanism xoauth2 = new XOAuth2Mechanism(GOOGLE_EXAMPLE);

    assertThat(xoauth2.respond(new byte[0])).isEmpty();
    assertThat(xoauth2.serverError()).isNull();
  }

  @Test
  void boundsTheServerError() {
    XOAuth2Mechanism xoauth2 = new XOAuth2Mechanism(GOOGLE_EXAMPLE);

    xoauth2.respond("x".repeat(10_000).getBytes(UTF_8));

    assertThat(xoauth2.serverError()).hasSizeLessThanOrEqualTo(XOAuth2Mechanism.MAX_SERVER_ERROR_CHARS + 3);
  }

  @Test
  void aSecondChallengeIsAProtocolError() {
    XOAuth2Mechanism xoauth2 = new XOAuth2Mechanism(GOOGLE_EXAMPLE);
    xoauth2.respond("{\"status\":\"401\"}".getBytes(UTF_8));

    assertThatThrownBy(() -> xoauth2.respond(new byte[0]))
        .isInstanceOfSatisfying(SmtpException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.PROTOCOL);
          assertThat(e.getMessage()).contains("XOAUTH2").doesNotContain(TOKEN);
        });
    assertThat(xoauth2.serverError()).isEqualTo("{\"status\":\"401\"}");
  }

  @Test
  void refusesTheSeparatorInsideAField() {
    assertThatThrownBy(() -> new XOAuth2Mechanism(new Credentials("u", "tok\u0001auth=Bearer other")))
        .isInstanceOfSatisfying(SmtpException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT);
          assertThat(e.getMessage()).contains("token").doesNotContain("tok\u0001");
        });
  }

  @Test
  void toStringHidesTheToken() {
    assertThat(new XOAuth2Mechanism(GOOGLE_EXAMPLE).toString()).contains("someuser@example.com").doesNotContain(TOKEN);
  }
}
