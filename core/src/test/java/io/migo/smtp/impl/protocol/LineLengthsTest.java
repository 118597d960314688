package io.migo.smtp.impl.protocol;

import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LineLengthsTest {

  @ParameterizedTest
  @ValueSource(strings = {"\r\n", "\n", "\r"})
  void exactly998OctetsIsAllowedWhateverTheLineEnd(String eol) {
    Buffer content = Buffer.buffer("a".repeat(998) + eol + "b".repeat(998));
    assertThatCode(() -> LineLengths.check(content)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\r\n", "\n", ""})
  void a999OctetLineIsRefusedNamingTheLine(String eol) {
    Buffer content = Buffer.buffer("Subject: x\r\n\r\n" + "a".repeat(999) + eol);
    assertThatThrownBy(() -> LineLengths.check(content))
      .isInstanceOfSatisfying(SmtpException.class, e -> {
        org.assertj.core.api.Assertions.assertThat(e.phase()).isEqualTo(SmtpPhase.INPUT);
        org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT);
      })
      .hasMessageContaining("line 3").hasMessageContaining("999 octets");
  }

  @Test
  void crlfCountsAsOneLineEnd() {
    Buffer content = Buffer.buffer("x\r\n".repeat(10) + "a".repeat(999));
    assertThatThrownBy(() -> LineLengths.check(content)).hasMessageContaining("line 11");
  }
}
