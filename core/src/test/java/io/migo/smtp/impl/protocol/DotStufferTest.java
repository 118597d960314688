package io.migo.smtp.impl.protocol;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.ReadOnlyBufferException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DotStufferTest {

  /** Input, DATA form (dot-stuffed, terminated), BDAT form (line ends only). */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("empty message", "", ".\r\n", ""),
        Arguments.of("ends in CRLF", "a\r\nb\r\n", "a\r\nb\r\n.\r\n", "a\r\nb\r\n"),
        Arguments.of("no final line end", "a\r\nb", "a\r\nb\r\n.\r\n", "a\r\nb\r\n"),
        Arguments.of("bare LF", "a\nb\n", "a\r\nb\r\n.\r\n", "a\r\nb\r\n"),
        Arguments.of("bare CR", "a\rb\r", "a\r\nb\r\n.\r\n", "a\r\nb\r\n"),
        Arguments.of("LF CR is two line ends", "a\n\rb", "a\r\n\r\nb\r\n.\r\n", "a\r\n\r\nb\r\n"),
        Arguments.of("CR CR LF", "a\r\r\nb", "a\r\n\r\nb\r\n.\r\n", "a\r\n\r\nb\r\n"),
        Arguments.of("dot at the very start", ".hidden\r\n", "..hidden\r\n.\r\n", ".hidden\r\n"),
        Arguments.of("lone dot first", ".", "..\r\n.\r\n", ".\r\n"),
        Arguments.of("LF dot LF inside", "a\n.\nb", "a\r\n..\r\nb\r\n.\r\n", "a\r\n.\r\nb\r\n"),
        Arguments.of("CRLF dot CRLF inside", "a\r\n.\r\nb\r\n", "a\r\n..\r\nb\r\n.\r\n", "a\r\n.\r\nb\r\n"),
        Arguments.of("CR dot CR inside (smuggling)", "a\r.\rb", "a\r\n..\r\nb\r\n.\r\n", "a\r\n.\r\nb\r\n"),
        Arguments.of("double-dot line", "..\r\n...x\r\n", "...\r\n....x\r\n.\r\n", "..\r\n...x\r\n"),
        Arguments.of("dots not at line start", "a.b\r\n x.\r\n", "a.b\r\n x.\r\n.\r\n", "a.b\r\n x.\r\n"),
        Arguments.of("empty lines", "\r\n\r\n", "\r\n\r\n.\r\n", "\r\n\r\n"),
        Arguments.of("only a CR", "\r", "\r\n.\r\n", "\r\n"),
        Arguments.of("ends in dot line without CRLF", "a\r\n.", "a\r\n..\r\n.\r\n", "a\r\n.\r\n"),
        Arguments.of("8-bit bytes untouched", "\u00e9\r\n.\u00ff", "\u00e9\r\n..\u00ff\r\n.\r\n",
            "\u00e9\r\n.\u00ff\r\n"));
  }

  private static Buffer bytes(String s) {
    return Buffer.buffer(s.getBytes(ISO_8859_1));
  }

  private static String text(Buffer b) {
    return new String(b.getBytes(), ISO_8859_1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void encodeAll(String name, String input, String data, String bdat) {
    assertThat(text(DotStuffer.encodeAll(bytes(input), true))).isEqualTo(data);
    assertThat(text(DotStuffer.encodeAll(bytes(input), false))).isEqualTo(bdat);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void splitAtEveryBoundaryEqualsOnePiece(String name, String input, String data, String bdat) {
    for (boolean dotStuff : new boolean[] {true, false}) {
      String expected = dotStuff ? data : bdat;
      for (int cut = 0; cut <= input.length(); cut++) {
        assertThat(encodeInPieces(input, dotStuff, cut)).as("dotStuff=%s cut=%d", dotStuff, cut).isEqualTo(expected);
      }
      for (int a = 0; a <= input.length(); a++) {
        for (int b = a; b <= input.length(); b++) {
          assertThat(encodeInPieces(input, dotStuff, a, b)).as("dotStuff=%s cuts=%d,%d", dotStuff, a, b)
              .isEqualTo(expected);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void byteByByte(String name, String input, String data, String bdat) {
    int[] cuts = new int[input.length()];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = i;
    }
    assertThat(encodeInPieces(input, true, cuts)).isEqualTo(data);
    assertThat(encodeInPieces(input, false, cuts)).isEqualTo(bdat);
  }

  private static String encodeInPieces(String input, boolean dotStuff, int... cuts) {
    DotStuffer stuffer = new DotStuffer(dotStuff);
    Buffer whole = bytes(input);
    Buffer out = Buffer.buffer();
    int from = 0;
    for (int cut : cuts) {
      stuffer.encode(whole.slice(from, cut), out);
      from = cut;
    }
    stuffer.encode(whole.slice(from, whole.length()), out);
    stuffer.finish(out);
    return text(out);
  }

  @Test
  void crAtChunkEndFollowedByLfInNextChunk() {
    DotStuffer stuffer = new DotStuffer(true);
    Buffer out = Buffer.buffer();
    stuffer.encode(bytes("a\r"), out);
    assertThat(text(out)).as("the CR is written at once").isEqualTo("a\r");
    stuffer.encode(bytes("\n.b"), out);
    assertThat(text(out)).isEqualTo("a\r\n..b");
    stuffer.finish(out);
    assertThat(text(out)).isEqualTo("a\r\n..b\r\n.\r\n");
  }

  @Test
  void crAtChunkEndFollowedByOtherByteInNextChunk() {
    DotStuffer stuffer = new DotStuffer(true);
    Buffer out = Buffer.buffer();
    stuffer.encode(bytes("a\r"), out);
    stuffer.encode(bytes(".b"), out);
    assertThat(text(out)).isEqualTo("a\r\n..b");
  }

  @Test
  void eachEncodedChunkIsFinal() {
    // BDAT sends each encoded chunk with its size: nothing may be held back or rewritten later.
    DotStuffer stuffer = new DotStuffer(false);
    Buffer first = Buffer.buffer();
    stuffer.encode(bytes("line\r"), first);
    Buffer second = Buffer.buffer();
    stuffer.encode(bytes("\nnext"), second);
    Buffer last = Buffer.buffer();
    stuffer.finish(last);
    assertThat(text(first)).isEqualTo("line\r");
    assertThat(text(second)).isEqualTo("\nnext");
    assertThat(text(last)).isEqualTo("\r\n");
  }

  @Test
  void appendsToExistingContent() {
    Buffer out = Buffer.buffer("prefix|");
    new DotStuffer(true).encode(bytes(".x"), out);
    assertThat(text(out)).isEqualTo("prefix|..x");
  }

  @Test
  void encodesFromBufferSlices() {
    Buffer backing = bytes("zz.a\nb");
    Buffer out = Buffer.buffer();
    DotStuffer stuffer = new DotStuffer(true);
    stuffer.encode(backing.slice(2, backing.length()), out);
    stuffer.finish(out);
    assertThat(text(out)).isEqualTo("..a\r\nb\r\n.\r\n");
  }

  @Test
  void reusableAfterFinish() {
    DotStuffer stuffer = new DotStuffer(true);
    Buffer out = Buffer.buffer();
    stuffer.encode(bytes("a\r"), out);
    stuffer.finish(out);
    stuffer.encode(bytes(".b"), out);
    stuffer.finish(out);
    assertThat(text(out)).isEqualTo("a\r\n.\r\n..b\r\n.\r\n");
  }

  @Test
  void largeMessage() {
    String line = ".leading dot and some text\n";
    String input = line.repeat(10_000);
    String expected = "..leading dot and some text\r\n".repeat(10_000) + ".\r\n";
    assertThat(text(DotStuffer.encodeAll(bytes(input), true))).isEqualTo(expected);
  }

  @Test
  void contentInWireFormIsReturnedAsItIsNotCopied() {
    Buffer wire = bytes("a\r\nb. c\r\n");
    assertThat(new DotStuffer(true).encode(wire)).isSameAs(wire);
    assertThat(new DotStuffer(false).encode(bytes(".x\r\n"))).as("BDAT does not stuff").hasToString(".x\r\n");
  }

  @Test
  void encodedContentTakesExactlyItsSize() {
    Buffer encoded = new DotStuffer(true).encode(bytes(".a\nb\rc\r\n"));
    assertThat(text(encoded)).isEqualTo("..a\r\nb\r\nc\r\n");
    assertThat(ContentBytes.of(encoded).array()).as("no spare room in the one copy").hasSize(encoded.length());
  }

  @Test
  void aCrOwedAcrossChunksIsCountedInTheNextChunksSize() {
    DotStuffer stuffer = new DotStuffer(true);
    assertThat(text(stuffer.encode(bytes("a\r")))).isEqualTo("a\r");
    Buffer next = stuffer.encode(bytes("b"));
    assertThat(text(next)).isEqualTo("\nb");
    assertThat(ContentBytes.of(next).array()).hasSize(2);
  }

  @Test
  void theTerminatorIsSharedAndReadOnly() {
    Buffer end = new DotStuffer(true).finish();
    assertThat(text(end)).isEqualTo(".\r\n");
    assertThatThrownBy(() -> end.setByte(0, (byte) 'x')).isInstanceOf(ReadOnlyBufferException.class);
    assertThat(text(new DotStuffer(true).finish())).isEqualTo(".\r\n");
  }
}
