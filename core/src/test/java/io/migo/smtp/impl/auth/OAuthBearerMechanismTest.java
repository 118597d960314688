package io.migo.smtp.impl.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;
import io.migo.smtp.RelayAddress;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import org.junit.jupiter.api.Test;

class OAuthBearerMechanismTest {

  private static final String TOKEN = "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==";
  private static final RelayAddress SERVER = new RelayAddress("server.example.com", 587);

  /** RFC 7628 §4.1, with the port of a submission relay: the exact bytes and their base64. */
  @Test
  void rfc7628InitialResponse() {
    OAuthBearerMechanism bearer = new OAuthBearerMechanism(new Credentials("user@example.com", TOKEN), SERVER);

    assertThat(bearer.mechanism()).isEqualTo(AuthMechanism.OAUTHBEARER);
    assertThat(new String(bearer.initialResponse(), UTF_8)).isEqualTo("n,a=user@example.com,\u0001"
        + "host=server.example.com\u0001port=587\u0001auth=Bearer " + TOKEN + "\u0001\u0001");
    assertThat(Base64Sasl.encodeInitialResponse(bearer.initialResponse())).isEqualTo(
        "bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9NTg3AWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRj"
        + "Mk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB");
    assertThat(bearer.serverError()).isNull();
  }

  @Test
  void authorizationIdentityIsAnEscapedSaslName() {
    OAuthBearerMechanism bearer = new OAuthBearerMechanism(new Credentials("a,b=c", TOKEN), SERVER);

    assertThat(new String(bearer.initialResponse(), UTF_8)).startsWith("n,a=a=2Cb=3Dc,\u0001host=");
  }

  @Test
  void errorChallengeIsAnsweredWithOneCtrlAAndReportedByStatusAndScope() {
    OAuthBearerMechanism bearer = new OAuthBearerMechanism(new Credentials("user@example.com", TOKEN), SERVER);
    byte[] challenge = Base64Sasl.decodeChallenge(
        "eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJleGFtcGxlX3Njb3BlIiwib3BlbmlkLWNvbmZpZ3VyYXRpb24iOiJodHRwczovL2V4YW1wbGUuY29tLy53ZWxsLWtub3duL29wZW5pZC1jb25maWd1cmF0aW9uIn0=");

    byte[] response = bearer.respond(challenge);

    assertThat(response).containsExactly(0x01);
    assertThat(Base64Sasl.encode(response)).isEqualTo("AQ==");
    assertThat(bearer.serverError()).isEqualTo("status=invalid_token, scope=example_scope, "
        + "openid-configuration=https://example.com/.well-known/openid-configuration");
  }

  @Test
  void errorThatIsNotJsonIsKeptAsText() {
    OAuthBearerMechanism bearer = new OAuthBearerMechanism(new Credentials("u", TOKEN), SERVER);

    bearer.respond("token expired".getBytes(UTF_8));

    assertThat(bearer.serverError()).isEqualTo("token expired");
    assertThat(OAuthBearerMechanism.describeError("x".repeat(2000))).hasSize(XOAuth2Mechanism.MAX_SERVER_ERROR_CHARS + 3);
    assertThat(OAuthBearerMechanism.describeError("{\"scope\":\"mail\"}")).isEqualTo("{\"scope\":\"mail\"}");
  }

  @Test
  void lineBreaksFromTheServerDoNotReachTheErrorMessage() {
    OAuthBearerMechanism bearer = new OAuthBearerMechanism(new Credentials("u", TOKEN), SERVER);

    bearer.respond("{\"status\":\"invalid_token\\r\\nFAKE LOG LINE\"}".getBytes(UTF_8));

    assertThat(bearer.serverError()).isEqualTo("status=invalid_token??FAKE LOG LINE");
  }

  @Test
  void secondChallengeIsAProtocolError() {
    OAuthBearerMechanism bearer = new OAuthBearerMechanism(new Credentials("u", TOKEN), SERVER);
    bearer.respond("{\"status\":\"invalid_token\"}".getBytes(UTF_8));

    assertThatThrownBy(() -> bearer.respond(new byte[0])).isInstanceOfSatisfying(SmtpException.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.PROTOCOL));
  }

  @Test
  void separatorsOrLineBreaksInTheCredentialsAreRefusedWithoutShowingTheToken() {
    assertThatThrownBy(() -> new OAuthBearerMechanism(new Credentials("u\u0001auth=x", TOKEN), SERVER))
        .isInstanceOfSatisfying(SmtpException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT));
    assertThatThrownBy(() -> new OAuthBearerMechanism(new Credentials("u", "tok\u0001en"), SERVER))
        .isInstanceOfSatisfying(SmtpException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT);
          assertThat(e.getMessage()).contains("token").doesNotContain("tok\u0001en");
        });
    assertThatThrownBy(() -> new OAuthBearerMechanism(new Credentials("u", "tok en\r\n"), SERVER))
        .isInstanceOf(SmtpException.class);
  }

  @Test
  void toStringHasNoToken() {
    assertThat(new OAuthBearerMechanism(new Credentials("u", TOKEN), SERVER).toString())
        .contains("u").doesNotContain(TOKEN);
  }
}
