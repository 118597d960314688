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

class PlainMechanismTest {

  @Test
  void rfc4616ExampleWithoutAuthzid() {
    PlainMechanism plain = new PlainMechanism(new Credentials("tim", "tanstaaftanstaaf"));

    assertThat(plain.mechanism()).isEqualTo(AuthMechanism.PLAIN);
    assertThat(plain.initialResponse()).isEqualTo("\0tim\0tanstaaftanstaaf".getBytes(UTF_8));
    assertThat(Base64Sasl.encodeInitialResponse(plain.initialResponse())).isEqualTo("AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
  }

  @Test
  void rfc4616ExampleWithAuthzid() {
    PlainMechanism plain = new PlainMechanism(new Credentials("Kurt", "xipj3plmq"), "Ursel");

    assertThat(plain.initialResponse()).isEqualTo("Ursel\0Kurt\0xipj3plmq".getBytes(UTF_8));
    assertThat(Base64Sasl.encode(plain.initialResponse())).isEqualTo("VXJzZWwAS3VydAB4aXBqM3BsbXE=");
  }

  @Test
  void encodesUtf8() {
    PlainMechanism plain = new PlainMechanism(new Credentials("jörg", "пароль€"));

    assertThat(plain.initialResponse()).containsExactly(
        0, 'j', (byte) 0xC3, (byte) 0xB6, 'r', 'g', 0,
        (byte) 0xD0, (byte) 0xBF, (byte) 0xD0, (byte) 0xB0, (byte) 0xD1, (byte) 0x80, (byte) 0xD0, (byte) 0xBE,
        (byte) 0xD0, (byte) 0xBB, (byte) 0xD1, (byte) 0x8C, (byte) 0xE2, (byte) 0x82, (byte) 0xAC);
  }

  @Test
  void answersAnEmptyChallengeOnceWithTheSameBytes() {
    PlainMechanism plain = new PlainMechanism(new Credentials("tim", "tanstaaftanstaaf"));

    assertThat(plain.respond(new byte[0])).isEqualTo(plain.initialResponse());
    assertThatThrownBy(() -> plain.respond(new byte[0]))
        .isInstanceOfSatisfying(SmtpException.class, e -> {
          assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
          assertThat(e.reason()).isEqualTo(Reason.PROTOCOL);
          assertThat(e.getMessage()).contains("PLAIN").doesNotContain("tanstaaftanstaaf");
        });
  }

  @Test
  void refusesNulInsideAField() {
    assertThatThrownBy(() -> new PlainMechanism(new Credentials("tim", "secret\0admin")))
        .isInstanceOfSatisfying(SmtpException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT);
          assertThat(e.getMessage()).contains("password").doesNotContain("secret");
        });
    assertThatThrownBy(() -> new PlainMechanism(new Credentials("ti\0m", "pw")))
        .hasMessageContaining("user name");
    assertThatThrownBy(() -> new PlainMechanism(new Credentials("tim", "pw"), "a\0b"))
        .hasMessageContaining("authorization identity");
  }

  @Test
  void toStringHidesThePassword() {
    PlainMechanism plain = new PlainMechanism(new Credentials("tim", "tanstaaftanstaaf"), "Ursel");

    assertThat(plain.toString()).contains("tim", "Ursel").doesNotContain("tanstaaftanstaaf");
  }
}
