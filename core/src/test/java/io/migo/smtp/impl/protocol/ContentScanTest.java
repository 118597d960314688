package io.migo.smtp.impl.protocol;

import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContentScanTest {

  @ParameterizedTest
  @ValueSource(strings = {"\r\n", "\n", "\r"})
  void exactly998OctetsIsAllowedWhateverTheLineEnd(String eol) {
    Buffer content = Buffer.buffer("a".repeat(998) + eol + "b".repeat(998));
    assertThatCode(() -> ContentScan.scan(content)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\r\n", "\n", ""})
  void a999OctetLineIsRefusedNamingTheLine(String eol) {
    Buffer content = Buffer.buffer("Subject: x\r\n\r\n" + "a".repeat(999) + eol);
    assertThatThrownBy(() -> ContentScan.scan(content))
      .isInstanceOfSatisfying(SmtpException.class, e -> {
        assertThat(e.phase()).isEqualTo(SmtpPhase.INPUT);
        assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT);
      })
      .hasMessageContaining("line 3").hasMessageContaining("999 octets");
  }

  @Test
  void asciiContentHasNo8BitOctets() {
    assertThat(ContentScan.scan(Buffer.buffer("Subject: plain\r\n\r\nHello, world.\r\n\t~\u007f\r\n"))).isFalse();
    assertThat(ContentScan.scan(Buffer.buffer())).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 15, 30})
  void anyOctetFrom0x80UpIsFoundWhereverItStands(int at) {
    byte[] bytes = "Subject: x\r\n\r\nsome text here.\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(bytes).hasSize(31);
    for (int value : new int[] {0x80, 0xC3, 0xFF}) {
      byte[] copy = bytes.clone();
      copy[at] = (byte) value;
      assertThat(ContentScan.scan(Buffer.buffer(copy))).as("0x%x at %d", value, at).isTrue();
    }
  }

  @Test
  void utf8TextIs8Bit() {
    assertThat(ContentScan.scan(Buffer.buffer("Subject: x\r\n\r\nGrüße, Jörg\r\n"))).isTrue();
  }

  @Test
  void crlfCountsAsOneLineEnd() {
    Buffer content = Buffer.buffer("x\r\n".repeat(10) + "a".repeat(999));
    assertThatThrownBy(() -> ContentScan.scan(content)).hasMessageContaining("line 11");
  }
}
