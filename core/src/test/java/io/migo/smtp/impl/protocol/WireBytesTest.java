package io.migo.smtp.impl.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class WireBytesTest {

  @Test
  void gathersPartsInOrderByReference() {
    Buffer content = Buffer.buffer("content\r\n");
    WireBytes gathered = new WireBytes(2).add(Buffer.buffer("MAIL\r\n")).add(Buffer.buffer()).add(content);
    assertThat(gathered.length()).isEqualTo(15);
    content.setByte(0, (byte) 'C');
    assertThat(gathered.toBuffer()).as("read when written, not when added").hasToString("MAIL\r\nContent\r\n");
  }

  @Test
  void gathersAnotherGathering() {
    WireBytes inner = new WireBytes(2).add(Buffer.buffer("b")).add(Buffer.buffer("c"));
    WireBytes outer = new WireBytes(1).add(Buffer.buffer("a")).add(inner).add(Buffer.buffer("d"));
    assertThat(outer.length()).isEqualTo(4);
    assertThat(outer.toBuffer()).hasToString("abcd");
  }

  @Test
  void theCallersBufferStaysUsableAfterItsBytesWereGathered() {
    Buffer content = Buffer.buffer("x");
    Buffer joined = new WireBytes(2).add(WireBytes.wrap(new byte[] {'<', '!'}, 1)).add(content).toBuffer();
    assertThat(joined).hasToString("<x");
    content.appendString("y");
    assertThat(content).hasToString("xy");
  }
}
