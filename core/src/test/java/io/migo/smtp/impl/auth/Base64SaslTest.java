package io.migo.smtp.impl.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Base64SaslTest {

  @Test
  void encodes() {
    assertThat(Base64Sasl.encode("tim".getBytes(UTF_8))).isEqualTo("dGlt");
    assertThat(Base64Sasl.encode(new byte[0])).isEmpty();
    assertThat(Base64Sasl.encodeInitialResponse(new byte[0])).isEqualTo("=");
    assertThat(Base64Sasl.encodeInitialResponse("tim".getBytes(UTF_8))).isEqualTo("dGlt");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "=", " ", " = "})
  void emptyChallenges(String text) {
    assertThat(Base64Sasl.decodeChallenge(text)).isEmpty();
  }

  @Test
  void decodesWithAndWithoutPadding() {
    assertThat(Base64Sasl.decodeChallenge("VXNlcm5hbWU6")).isEqualTo("Username:".getBytes(UTF_8));
    assertThat(Base64Sasl.decodeChallenge("VXNlciBOYW1lAA==")).isEqualTo("User Name\0".getBytes(UTF_8));
    assertThat(Base64Sasl.decodeChallenge("VXNlciBOYW1lAA")).isEqualTo("User Name\0".getBytes(UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Username:", "VXNl cm5h", "dGlt*", "a"})
  void refusesWhatIsNotBase64(String text) {
    assertThatThrownBy(() -> Base64Sasl.decodeChallenge(text))
        .isInstanceOfSatisfying(SmtpException.class, e -> {
          assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
          assertThat(e.reason()).isEqualTo(Reason.PROTOCOL);
          assertThat(e.getMessage()).contains("not base64");
        });
  }
}
