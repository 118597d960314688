package io.migo.smtp.impl.protocol;

import io.vertx.core.buffer.Buffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated and mutated server input for the two parsers that read what a (possibly hostile) server sends. Whatever
 * the bytes, the decoder either yields replies or throws its one typed error, never anything else, never hangs,
 * and never holds more than its bounds; the capability parser never throws.
 */
class ReplyParsingFuzzTest {

  private static final int MAX_LINE = 512;
  private static final int MAX_LINES = 16;

  @Property(tries = 2000)
  void arbitraryBytesGiveRepliesOrTheTypedError(@ForAll @Size(max = 4096) byte[] input,
                                                @ForAll @IntRange(min = 1, max = 64) int chunkSize) {
    feedInChunks(input, chunkSize);
  }

  @Property(tries = 2000)
  void mutatedRealRepliesGiveRepliesOrTheTypedError(@ForAll("mutatedReplies") byte[] input,
                                                    @ForAll @IntRange(min = 1, max = 16) int chunkSize) {
    feedInChunks(input, chunkSize);
  }

  @Property(tries = 300)
  void wellFormedRepliesSurviveAnySplit(@ForAll("wellFormedReplies") List<String> lines,
                                        @ForAll @IntRange(min = 1, max = 7) int chunkSize) {
    String wire = String.join("", lines);
    List<Reply> replies = feedInChunks(wire.getBytes(StandardCharsets.UTF_8), chunkSize);
    assertThat(replies).hasSize((int) lines.stream().filter(l -> l.charAt(3) == ' ').count());
  }

  @Property(tries = 200)
  void endlessLinesAndContinuationsAreCutOffAtTheBounds(@ForAll @IntRange(min = 1, max = 200) int chunkSize,
                                                        @ForAll boolean continuations) {
    List<Reply> replies = new ArrayList<>();
    ReplyDecoder decoder = new ReplyDecoder(MAX_LINE, MAX_LINES, replies::add);
    Buffer chunk = Buffer.buffer((continuations ? "250-x\r\n" : "x").repeat(chunkSize));
    boolean failed = false;
    // A server that never stops: at most (bounds / chunk) chunks can be taken before the typed error.
    for (int i = 0; i < 100_000 && !failed; i++) {
      try {
        decoder.feed(continuations ? chunk : i == 0 ? Buffer.buffer("250 ").appendBuffer(chunk) : chunk);
      } catch (ReplyFormatException e) {
        failed = true;
      }
    }
    assertThat(failed).isTrue();
    assertThat(replies).isEmpty();
  }

  @Property(tries = 2000)
  void capabilityParsingNeverThrows(@ForAll("ehloLines") List<String> lines) {
    Capabilities capabilities = Capabilities.parse(new Reply(250, lines));
    assertThat(capabilities.authMechanisms()).allSatisfy(m -> assertThat(m).isUpperCase());
    if (capabilities.maxSize().isPresent()) {
      assertThat(capabilities.maxSize().getAsLong()).isNotNegative();
    }
  }

  private static List<Reply> feedInChunks(byte[] input, int chunkSize) {
    List<Reply> replies = new ArrayList<>();
    ReplyDecoder decoder = new ReplyDecoder(MAX_LINE, MAX_LINES, replies::add);
    try {
      for (int i = 0; i < input.length; i += chunkSize) {
        decoder.feed(Buffer.buffer(input).slice(i, Math.min(input.length, i + chunkSize)));
      }
    } catch (ReplyFormatException expected) {
      // the one typed error; anything else fails the property
    }
    for (Reply reply : replies) {
      assertThat(reply.code()).isBetween(200, 559);
      assertThat(reply.lines()).hasSizeLessThanOrEqualTo(MAX_LINES);
      assertThat(reply.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(MAX_LINE));
    }
    return replies;
  }

  @Provide
  Arbitrary<List<String>> wellFormedReplies() {
    Arbitrary<Integer> code = Arbitraries.integers().between(2, 5).flatMap(c ->
      Arbitraries.integers().between(0, 5).flatMap(x -> Arbitraries.integers().between(0, 9)
        .map(y -> c * 100 + x * 10 + y)));
    Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(60);
    Arbitrary<List<String>> reply = Combinators.combine(code, text.list().ofMinSize(0).ofMaxSize(5), text)
      .as((c, more, last) -> {
        List<String> lines = new ArrayList<>();
        more.forEach(t -> lines.add(c + "-" + t + "\r\n"));
        lines.add(c + " " + last + "\r\n");
        return lines;
      });
    return reply.list().ofMinSize(1).ofMaxSize(6).map(replies -> {
      List<String> all = new ArrayList<>();
      replies.forEach(all::addAll);
      return all;
    });
  }

  @Provide
  Arbitrary<byte[]> mutatedReplies() {
    byte[] seed = ("220 mx.example ESMTP\r\n250-mx.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
      + "250-AUTH PLAIN LOGIN\r\n250 CHUNKING\r\n354 go\r\n550 5.1.1 <x@y>: unknown\r\n")
      .getBytes(StandardCharsets.US_ASCII);
    Arbitrary<Integer> position = Arbitraries.integers().between(0, seed.length - 1);
    Arbitrary<Byte> value = Arbitraries.bytes();
    return Combinators.combine(position.list().ofMaxSize(12), value.list().ofMaxSize(12)).as((positions, values) -> {
      byte[] mutated = seed.clone();
      for (int i = 0; i < Math.min(positions.size(), values.size()); i++) {
        mutated[positions.get(i)] = values.get(i);
      }
      return mutated;
    });
  }

  @Provide
  Arbitrary<List<String>> ehloLines() {
    Arbitrary<String> keyword = Arbitraries.of("SIZE", "AUTH", "AUTH=", "PIPELINING", "STARTTLS", "CHUNKING", "8BITMIME",
      "SMTPUTF8", "DSN", "ENHANCEDSTATUSCODES", "size", "auth", "X-JUNK", "");
    Arbitrary<String> parameter = Arbitraries.oneOf(
      Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40),
      Arbitraries.longs().map(String::valueOf),
      Arbitraries.of("PLAIN LOGIN", "-1", "99999999999999999999999", "  ", "=PLAIN"));
    Arbitrary<String> line = Combinators.combine(keyword, parameter, Arbitraries.of("", " ", "="))
      .as((k, p, sep) -> k + sep + p);
    return line.list().ofMinSize(1).ofMaxSize(20);
  }
}
