package io.migo.smtp.impl.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReplyDecoderTest {

  private static final int MAX_LINE = 512;
  private static final int MAX_LINES = 32;

  private final List<Reply> replies = new ArrayList<>();
  private final ReplyDecoder decoder = new ReplyDecoder(MAX_LINE, MAX_LINES, replies::add);

  static Stream<Arguments> corpus() {
    return Stream.of(
        Arguments.of("single line", "250 2.0.0 Ok\r\n",
            List.of(Reply.of(250, "2.0.0 Ok"))),
        Arguments.of("code only", "250\r\n",
            List.of(Reply.of(250, ""))),
        Arguments.of("code and space only", "354 \r\n",
            List.of(Reply.of(354, ""))),
        Arguments.of("multi-line EHLO",
            "250-mail.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-\r\n250 8BITMIME\r\n",
            List.of(Reply.of(250, "mail.example.com", "PIPELINING", "SIZE 10240000", "", "8BITMIME"))),
        Arguments.of("two replies in one chunk", "250 2.1.0 Ok\r\n550-5.1.1 No such\r\n550 5.1.1 user\r\n",
            List.of(Reply.of(250, "2.1.0 Ok"), Reply.of(550, "5.1.1 No such", "5.1.1 user"))),
        Arguments.of("LF-only line ends", "220 hi\n250-a\n250 b\n",
            List.of(Reply.of(220, "hi"), Reply.of(250, "a", "b"))),
        Arguments.of("UTF-8 text", "250 2.0.0 Grüße, 日本語 ✓\r\n",
            List.of(Reply.of(250, "2.0.0 Grüße, 日本語 ✓"))),
        Arguments.of("tabs and trailing spaces kept", "250 a\tb  \r\n",
            List.of(Reply.of(250, "a\tb  "))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void wholeInput(String name, String input, List<Reply> expected) {
    decoder.feed(Buffer.buffer(input.getBytes(UTF_8)));
    assertThat(replies).containsExactlyElementsOf(expected);
    assertThat(decoder.hasPartialInput()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void splitAtEveryBoundary(String name, String input, List<Reply> expected) {
    byte[] bytes = input.getBytes(UTF_8);
    for (int cut = 0; cut <= bytes.length; cut++) {
      List<Reply> out = new ArrayList<>();
      ReplyDecoder d = new ReplyDecoder(MAX_LINE, MAX_LINES, out::add);
      d.feed(Buffer.buffer(Arrays.copyOfRange(bytes, 0, cut)));
      d.feed(Buffer.buffer(Arrays.copyOfRange(bytes, cut, bytes.length)));
      assertThat(out).as("cut at %d", cut).containsExactlyElementsOf(expected);
      assertThat(d.hasPartialInput()).as("cut at %d", cut).isFalse();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void splitAtEveryPairOfBoundaries(String name, String input, List<Reply> expected) {
    byte[] bytes = input.getBytes(UTF_8);
    for (int a = 0; a <= bytes.length; a++) {
      for (int b = a; b <= bytes.length; b++) {
        List<Reply> out = new ArrayList<>();
        ReplyDecoder d = new ReplyDecoder(MAX_LINE, MAX_LINES, out::add);
        d.feed(Buffer.buffer(Arrays.copyOfRange(bytes, 0, a)));
        d.feed(Buffer.buffer(Arrays.copyOfRange(bytes, a, b)));
        d.feed(Buffer.buffer(Arrays.copyOfRange(bytes, b, bytes.length)));
        assertThat(out).as("cuts at %d, %d", a, b).containsExactlyElementsOf(expected);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void byteByByte(String name, String input, List<Reply> expected) {
    byte[] bytes = input.getBytes(UTF_8);
    for (byte b : bytes) {
      decoder.feed(Buffer.buffer(new byte[] {b}));
    }
    assertThat(replies).containsExactlyElementsOf(expected);
  }

  @Test
  void emitsEachReplyAsSoonAsItsLastLineEnds() {
    decoder.feed(Buffer.buffer("250-a\r\n250 b\r\n354 go"));
    assertThat(replies).containsExactly(Reply.of(250, "a", "b"));
    decoder.feed(Buffer.buffer(" ahead\r\n"));
    assertThat(replies).containsExactly(Reply.of(250, "a", "b"), Reply.of(354, "go ahead"));
  }

  @Test
  void netty_chunking_example() {
    // netty SmtpResponseDecoderTest#testDecodeTwoLineResponseChunked
    decoder.feed(Buffer.buffer("200-"));
    decoder.feed(Buffer.buffer("Hello\r\n2"));
    decoder.feed(Buffer.buffer("00 Ok"));
    assertThat(replies).isEmpty();
    decoder.feed(Buffer.buffer("\r\n"));
    assertThat(replies).containsExactly(Reply.of(200, "Hello", "Ok"));
  }

  @Test
  void maxLineLengthIsInclusive() {
    String line = "250 " + "x".repeat(MAX_LINE - 4);
    decoder.feed(Buffer.buffer(line + "\r\n"));
    assertThat(replies).hasSize(1);
    assertThat(replies.get(0).lines().get(0)).hasSize(MAX_LINE - 4);
  }

  @Test
  void maxLinesIsInclusive() {
    decoder.feed(Buffer.buffer("250-x\r\n".repeat(MAX_LINES - 1) + "250 x\r\n"));
    assertThat(replies).hasSize(1);
    assertThat(replies.get(0).lines()).hasSize(MAX_LINES);
  }

  // ------------------------------------------------------------------ errors

  @ParameterizedTest
  @ValueSource(strings = {
      "abc Ok\r\n", "25 Ok\r\n", "2x0 Ok\r\n", "\r\n", "25\r\n", " 250 Ok\r\n", "-250 Ok\r\n"})
  void rejectsLinesWithoutAValidCode(String input) {
    assertThatThrownBy(() -> decoder.feed(Buffer.buffer(input)))
        .isInstanceOf(ReplyFormatException.class)
        .hasMessageContaining("does not start with a valid reply code");
  }

  @ParameterizedTest
  @ValueSource(strings = {"150 Ok\r\n", "650 Ok\r\n", "050 Ok\r\n", "260 Ok\r\n", "290 Ok\r\n"})
  void rejectsCodesOutsideSmtpRanges(String input) {
    assertThatThrownBy(() -> decoder.feed(Buffer.buffer(input)))
        .isInstanceOf(ReplyFormatException.class)
        .hasMessageContaining("valid reply code");
  }

  @ParameterizedTest
  @ValueSource(strings = {"250_Ok\r\n", "250Ok\r\n", "2500 Ok\r\n", "250\tOk\r\n"})
  void rejectsBadSeparator(String input) {
    assertThatThrownBy(() -> decoder.feed(Buffer.buffer(input)))
        .isInstanceOf(ReplyFormatException.class)
        .hasMessageContaining("not followed by a space, '-' or the line end");
  }

  @Test
  void rejectsMixedCodesInOneReply() {
    assertThatThrownBy(() -> decoder.feed(Buffer.buffer("250-first\r\n251 second\r\n")))
        .isInstanceOf(ReplyFormatException.class)
        .hasMessageContaining("multi-line reply 250 continued with a different code")
        .hasMessageContaining("\"251 second\"");
    assertThat(replies).isEmpty();
  }

  @Test
  void rejectsOverlongLineBeforeItEnds() {
    byte[] head = ("250 " + "x".repeat(MAX_LINE - 4)).getBytes(UTF_8);
    decoder.feed(Buffer.buffer(head)); // exactly at the limit: still fine
    assertThatThrownBy(() -> decoder.feed(Buffer.buffer("y")))
        .isInstanceOf(ReplyFormatException.class)
        .hasMessageStartingWith("reply line longer than 512 bytes: \"250 xxx")
        .hasMessageEndingWith("...\"")
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(160));
  }

  @Test
  void rejectsOverlongLineInOneHugeChunkWithoutLineEnd() {
    Buffer flood = Buffer.buffer("250 " + "x".repeat(1_000_000));
    assertThatThrownBy(() -> decoder.feed(flood))
        .isInstanceOf(ReplyFormatException.class)
        .hasMessageContaining("longer than 512 bytes");
  }

  @Test
  void rejectsTooManyLines() {
    Buffer input = Buffer.buffer("250-x\r\n".repeat(MAX_LINES) + "250 x\r\n");
    assertThatThrownBy(() -> decoder.feed(input))
        .isInstanceOf(ReplyFormatException.class)
        .hasMessageContaining("more than 32 lines");
  }

  @Test
  void rejectsNul() {
    Buffer input = Buffer.buffer("250 a").appendByte((byte) 0).appendString("b\r\n");
    assertThatThrownBy(() -> decoder.feed(input))
        .isInstanceOf(ReplyFormatException.class)
        .hasMessage("NUL in reply line: \"250 a\"");
  }

  @Test
  void rejectsCrInsideLine() {
    assertThatThrownBy(() -> decoder.feed(Buffer.buffer("250 a\rb\r\n")))
        .isInstanceOf(ReplyFormatException.class)
        .hasMessage("CR not followed by LF in reply line: \"250 a\"");
  }

  @Test
  void rejectsCrInsideLineAcrossChunks() {
    decoder.feed(Buffer.buffer("250 a\r"));
    assertThatThrownBy(() -> decoder.feed(Buffer.buffer("b\r\n")))
        .isInstanceOf(ReplyFormatException.class)
        .hasMessageContaining("CR not followed by LF");
  }

  @Test
  void errorExcerptIsEscapedAndBounded() {
    Buffer input = Buffer.buffer("xyz \"q\" \\ \t").appendByte((byte) 0xC3).appendString("\n");
    assertThatThrownBy(() -> decoder.feed(input))
        .hasMessage("reply line does not start with a valid reply code: \"xyz \\\"q\\\" \\\\ \\t\\xC3\"");
    String longLine = "abc" + "z".repeat(300) + "\n";
    ReplyDecoder d = new ReplyDecoder(MAX_LINE, MAX_LINES, replies::add);
    assertThatThrownBy(() -> d.feed(Buffer.buffer(longLine)))
        .hasMessage("reply line does not start with a valid reply code: \"abc" + "z".repeat(77) + "...\"");
  }

  @Test
  void unusableAfterAnError() {
    assertThatThrownBy(() -> decoder.feed(Buffer.buffer("bad\r\n"))).isInstanceOf(ReplyFormatException.class);
    assertThatThrownBy(() -> decoder.feed(Buffer.buffer("250 Ok\r\n"))).isInstanceOf(IllegalStateException.class);
    assertThat(replies).isEmpty();
  }

  @Test
  void repliesBeforeTheErrorInTheSameChunkAreEmitted() {
    assertThatThrownBy(() -> decoder.feed(Buffer.buffer("250 Ok\r\nbad\r\n")))
        .isInstanceOf(ReplyFormatException.class);
    assertThat(replies).containsExactly(Reply.of(250, "Ok"));
  }

  @Test
  void invalidUtf8BecomesReplacementCharacter() {
    decoder.feed(Buffer.buffer("250 a").appendByte((byte) 0xFF).appendString("b\r\n"));
    assertThat(replies).containsExactly(Reply.of(250, "a\uFFFDb"));
  }

  // ------------------------------------------------------------------ partial input

  @Test
  void hasPartialInput() {
    assertThat(decoder.hasPartialInput()).isFalse();
    decoder.feed(Buffer.buffer("2"));
    assertThat(decoder.hasPartialInput()).as("part of a line").isTrue();
    decoder.feed(Buffer.buffer("20 ready\r"));
    assertThat(decoder.hasPartialInput()).as("line waiting for its LF").isTrue();
    decoder.feed(Buffer.buffer("\n"));
    assertThat(decoder.hasPartialInput()).isFalse();
    decoder.feed(Buffer.buffer("250-first\r\n"));
    assertThat(decoder.hasPartialInput()).as("multi-line reply without its last line").isTrue();
    decoder.feed(Buffer.buffer("250 last\r\n"));
    assertThat(decoder.hasPartialInput()).isFalse();
    assertThat(replies).containsExactly(Reply.of(220, "ready"), Reply.of(250, "first", "last"));
  }

  @Test
  void bytesInjectedAfterStartTlsReplyAreVisible() {
    decoder.feed(Buffer.buffer("220 2.0.0 Ready to start TLS\r\n250-injected"));
    assertThat(replies).containsExactly(Reply.of(220, "2.0.0 Ready to start TLS"));
    assertThat(decoder.hasPartialInput()).isTrue();
  }

  @Test
  void sinkSeesReplyBeforeRestOfChunkIsDecoded() {
    List<String> events = new ArrayList<>();
    ReplyDecoder d = new ReplyDecoder(MAX_LINE, MAX_LINES, r -> events.add(r.toString()));
    d.feed(Buffer.buffer("250 a\r\n251 b\r\n"));
    assertThat(events).containsExactly("250 a", "251 b");
  }

  @Test
  void rejectsBadLimits() {
    assertThatThrownBy(() -> new ReplyDecoder(2, 1, r -> { })).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReplyDecoder(512, 0, r -> { })).isInstanceOf(IllegalArgumentException.class);
  }
}
