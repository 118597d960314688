package io.migo.smtp.impl.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import org.junit.jupiter.api.Test;

class CramMd5MechanismTest {

  private static final String RFC_CHALLENGE = "<1896.697170952@postoffice.reston.mci.net>";

  @Test
  void rfc2195Example() {
    CramMd5Mechanism cram = new CramMd5Mechanism(new Credentials("tim", "tanstaaftanstaaf"));

    assertThat(cram.mechanism()).isEqualTo(AuthMechanism.CRAM_MD5);
    assertThat(cram.initialResponse()).isNull();
    byte[] challenge = Base64Sasl.decodeChallenge("PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+");
    assertThat(challenge).isEqualTo(RFC_CHALLENGE.getBytes(UTF_8));

    byte[] response = cram.respond(challenge);

    assertThat(new String(response, UTF_8)).isEqualTo("tim b913a602c7eda7a495b4e6e7334d3890");
    assertThat(Base64Sasl.encode(response)).isEqualTo("dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
  }

  /** Expected digests from Python's hmac module. */
  @Test
  void utf8AndEmptyPasswords() {
    byte[] challenge = "<1.2@x>".getBytes(UTF_8);

    assertThat(new String(new CramMd5Mechanism(new Credentials("u", "pässwörd")).respond(challenge), UTF_8))
        .isEqualTo("u 3a1e09fda92ab998a52908ee96d33594");
    assertThat(new String(new CramMd5Mechanism(new Credentials("u", "")).respond(challenge), UTF_8))
        .isEqualTo("u 5d5f7ac2e54575c8145c2151a8ea8671");
  }

  @Test
  void aSecondChallengeIsAProtocolError() {
    CramMd5Mechanism cram = new CramMd5Mechanism(new Credentials("tim", "tanstaaftanstaaf"));
    cram.respond(RFC_CHALLENGE.getBytes(UTF_8));

    assertThatThrownBy(() -> cram.respond(RFC_CHALLENGE.getBytes(UTF_8)))
        .isInstanceOfSatisfying(SmtpException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.PROTOCOL);
          assertThat(e.getMessage()).contains("CRAM-MD5").doesNotContain("tanstaaftanstaaf");
        });
  }

  @Test
  void toStringHidesThePassword() {
    assertThat(new CramMd5Mechanism(new Credentials("tim", "tanstaaftanstaaf")).toString())
        .contains("tim").doesNotContain("tanstaaftanstaaf");
  }
}
