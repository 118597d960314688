package io.migo.smtp.impl.dkim;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.migo.smtp.DkimCanonicalization;
import io.migo.smtp.impl.protocol.DotStuffer;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * RFC 6376 §3.4.5's examples, edge cases of both body canonicalizations, and the incremental body hash against a
 * one-shot reference written from the RFC's words: over the content's wire form (line ends as DotStuffer makes them),
 * with the input split at every boundary.
 */
class CanonicalizationTest {

  private static final String EXAMPLE_HEADERS = "A: X \r\nB : Y\t\r\n\tZ  \r\n";
  private static final String EXAMPLE_BODY = " C \r\nD \t E\r\n\r\n\r\n";

  @Test
  void rfc6376Section345RelaxedHeaders() {
    assertThat(canonicalHeaders(DkimCanonicalization.RELAXED)).isEqualTo("a:X\r\nb:Y Z\r\n");
  }

  @Test
  void rfc6376Section345SimpleHeaders() {
    assertThat(canonicalHeaders(DkimCanonicalization.SIMPLE)).isEqualTo(EXAMPLE_HEADERS);
  }

  @Test
  void rfc6376Section345Bodies() throws Exception {
    assertThat(hash(DkimCanonicalization.RELAXED, EXAMPLE_BODY)).isEqualTo(sha256(" C\r\nD E\r\n"));
    assertThat(hash(DkimCanonicalization.SIMPLE, EXAMPLE_BODY)).isEqualTo(sha256(" C \r\nD \t E\r\n"));
  }

  @Test
  void emptyBodies() throws Exception {
    // §3.4.3: simple makes an empty body one CRLF; §3.4.4: relaxed leaves it empty.
    for (String empty : new String[] {"", "\r\n", "\r\n\r\n", "\n\n\r"}) {
      assertThat(hash(DkimCanonicalization.SIMPLE, empty)).as(empty).isEqualTo(sha256("\r\n"));
      assertThat(hash(DkimCanonicalization.RELAXED, empty)).as(empty).isEqualTo(sha256(""));
    }
    // A line of whitespace is empty only for relaxed.
    assertThat(hash(DkimCanonicalization.RELAXED, " \t\r\n")).isEqualTo(sha256(""));
    assertThat(hash(DkimCanonicalization.SIMPLE, " \t\r\n")).isEqualTo(sha256(" \t\r\n"));
  }

  @Test
  void aLastLineWithoutLineEndGetsOne() throws Exception {
    assertThat(hash(DkimCanonicalization.SIMPLE, "a\r\nb")).isEqualTo(sha256("a\r\nb\r\n"));
    assertThat(hash(DkimCanonicalization.RELAXED, "a\r\nb  ")).isEqualTo(sha256("a\r\nb\r\n"));
  }

  @Test
  void bareLineEndsAreHashedAsTheWireHasThem() throws Exception {
    assertThat(hash(DkimCanonicalization.SIMPLE, "a\nb\rc\r\n")).isEqualTo(sha256("a\r\nb\r\nc\r\n"));
    assertThat(hash(DkimCanonicalization.SIMPLE, "a\n\rb")).isEqualTo(sha256("a\r\n\r\nb\r\n"));
  }

  /** Inner empty lines are kept; only trailing ones go, however many chunks they span. */
  @Test
  void innerEmptyLinesAreKept() throws Exception {
    assertThat(hash(DkimCanonicalization.RELAXED, "a\r\n\r\n \r\nb\r\n\r\n"))
      .isEqualTo(sha256("a\r\n\r\n\r\nb\r\n"));
    assertThat(hash(DkimCanonicalization.SIMPLE, "a\r\n\r\n \r\nb\r\n\r\n"))
      .isEqualTo(sha256("a\r\n\r\n \r\nb\r\n"));
  }

  /** Every split of every input, against the one-shot reference over the wire form. */
  @Test
  void incrementalHashEqualsReferenceAtEverySplit() throws Exception {
    for (String body : bodies()) {
      String wire = DotStuffer.encodeAll(Buffer.buffer(body.getBytes(ISO_8859_1)), false).toString(ISO_8859_1);
      for (DkimCanonicalization c : DkimCanonicalization.values()) {
        byte[] expected = sha256(c == DkimCanonicalization.SIMPLE ? simpleReference(wire) : relaxedReference(wire));
        byte[] bytes = body.getBytes(ISO_8859_1);
        for (int split = 0; split <= bytes.length; split++) {
          BodyHasher hasher = BodyHasher.of(c);
          hasher.update(bytes, 0, split);
          hasher.update(bytes, split, bytes.length - split);
          assertThat(hasher.finish()).as("%s split at %d of %s", c, split, escaped(body)).isEqualTo(expected);
        }
        BodyHasher oneByOne = BodyHasher.of(c);
        for (int i = 0; i < bytes.length; i++) {
          oneByOne.update(bytes, i, 1);
        }
        assertThat(oneByOne.finish()).as("%s byte by byte: %s", c, escaped(body)).isEqualTo(expected);
      }
    }
  }

  /** A long body crosses the hasher's own output array several times. */
  @Test
  void longBodies() throws Exception {
    String body = "x \t y  \r\n\r\n".repeat(2000) + "\r\n\r\n";
    String wire = body;
    assertThat(hash(DkimCanonicalization.RELAXED, body)).isEqualTo(sha256(relaxedReference(wire)));
    assertThat(hash(DkimCanonicalization.SIMPLE, body)).isEqualTo(sha256(simpleReference(wire)));
  }

  private static List<String> bodies() {
    List<String> bodies = new ArrayList<>(List.of("", "\r\n", "a", "a\r\n", " a \t b \r\n\r\n", "\r\n\r\na\r\n\r\n",
      "a\r", "a\r\r\n", "a\n\r\nb", "\t\r\n \r\n", "a\r\n \r\n\r\n", EXAMPLE_BODY));
    Random random = new Random(6376);
    char[] alphabet = {'a', 'b', ' ', '\t', '\r', '\n', '.'};
    for (int n = 0; n < 300; n++) {
      StringBuilder s = new StringBuilder();
      for (int i = random.nextInt(30); i > 0; i--) {
        s.append(alphabet[random.nextInt(alphabet.length)]);
      }
      bodies.add(s.toString());
    }
    return bodies;
  }

  /** RFC 6376 §3.4.3 on a CRLF body: trailing CRLFs reduced to one, an empty body one CRLF. */
  private static String simpleReference(String wire) {
    return wire.replaceAll("(\r\n)+$", "") + "\r\n";
  }

  /** RFC 6376 §3.4.4 on a CRLF body, line by line. */
  private static String relaxedReference(String wire) {
    StringBuilder out = new StringBuilder();
    for (String line : wire.split("\r\n", -1)) {
      out.append(line.replaceAll("[ \t]+", " ").replaceAll(" $", "")).append("\r\n");
    }
    String joined = out.toString().replaceAll("(\r\n)+$", "");
    return joined.isEmpty() ? "" : joined + "\r\n";
  }

  private static String canonicalHeaders(DkimCanonicalization c) {
    byte[] block = EXAMPLE_HEADERS.getBytes(ISO_8859_1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (HeaderField field : HeaderField.parse(block, block.length)) {
      HeaderCanonicalizer.write(c, field.bytes(), out);
    }
    return out.toString(ISO_8859_1);
  }

  private static byte[] hash(DkimCanonicalization c, String body) {
    BodyHasher hasher = BodyHasher.of(c);
    hasher.update(Buffer.buffer(body.getBytes(ISO_8859_1)));
    return hasher.finish();
  }

  private static byte[] sha256(String s) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(s.getBytes(ISO_8859_1));
  }

  private static String escaped(String s) {
    return s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
  }
}
