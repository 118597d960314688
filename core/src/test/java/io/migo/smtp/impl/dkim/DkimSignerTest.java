package io.migo.smtp.impl.dkim;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migo.smtp.DkimAlgorithm;
import io.migo.smtp.DkimCanonicalization;
import io.migo.smtp.DkimOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.impl.protocol.DotStuffer;
import io.vertx.core.buffer.Buffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The whole signing of a message: the field written, what it covers, streaming, and the wire form. */
class DkimSignerTest {

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
  /** Bare LFs in the header block and the body, a folded header, a dot line, trailing empty lines. */
  private static final String MESSAGE = "From: Alice <alice@example.test>\n"
    + "To: bob@example.test\r\n"
    + "Subject: a long subject\r\n\tfolded\n"
    + "Date: Thu, 3 Dec 2026 06:00:00 +0000\r\n"
    + "X-Other: not signed\r\n"
    + "\n"
    + "Hello  Bob,\r\n.\r\nbare CR\rand LF\n\r\n\r\n";

  private static KeyPair ed25519() throws Exception {
    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  private static DkimOptions options(KeyPair keys) {
    return new DkimOptions().setDomain("example.test").setSelector("sel").setPrivateKey(keys.getPrivate());
  }

  /** Folds before a colon of h= carry no space; the others stand for one. */
  private static String unfold(String field) {
    return field.replace("\r\n :", ":").replace("\r\n ", " ");
  }

  private static String field(DkimSigner signer, String message) {
    MessageSigning signing = signer.start();
    signing.update(Buffer.buffer(message.getBytes(ISO_8859_1)));
    return signing.finish().toString(US_ASCII);
  }

  @Test
  void theFieldNamesWhatItSigns() throws Exception {
    String field = field(new DkimSigner(options(ed25519()).setExpiration(Duration.ofDays(7))
      .setIdentity("alice@mail.example.test"), CLOCK), MESSAGE);
    String unfolded = unfold(field);
    assertThat(unfolded).startsWith("DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=example.test; "
      + "s=sel; t=1700000000; x=1700604800; i=alice@mail.example.test; h=From:To:Subject:Date:From; bh=");
    assertThat(field).endsWith("\r\n");
    for (String line : field.split("\r\n")) {
      assertThat(line.length()).as(line).isLessThanOrEqualTo(76);
    }
  }

  @Test
  void overSignedNamesAbsentFromTheMessageAreListedOnce() throws Exception {
    String field = field(new DkimSigner(options(ed25519()).setOverSignedHeaders(List.of("From", "Reply-To"))
      .setSignedHeaders(List.of("From", "Subject")).setTimestamp(false), CLOCK), MESSAGE);
    assertThat(unfold(field)).contains(" h=From:Subject:From:Reply-To; ");
  }

  @Test
  void theSignatureCoversTheFieldAsSentWithItsValueRemoved() throws Exception {
    for (DkimCanonicalization c : DkimCanonicalization.values()) {
      KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
      String field = field(new DkimSigner(options(keys).setCanonicalization(c, c), CLOCK), MESSAGE);
      // What a verifier does (RFC 6376 §3.7): remove b='s value, folding included, then check.
      Matcher b = Pattern.compile("b=([A-Za-z0-9+/=\\s]*)$").matcher(field);
      assertThat(b.find()).isTrue();
      String template = field.substring(0, b.start()) + "b=";
      byte[] head = DotStuffer.encodeAll(Buffer.buffer(MESSAGE.substring(0, MESSAGE.indexOf("\n\n") + 1)
        .getBytes(ISO_8859_1)), false).getBytes();
      List<String> names = Arrays.asList(template.replace("\r\n ", " ").replaceAll("(?s).* h=([^;]*);.*", "$1")
        .split(":"));
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(keys.getPublic());
      verifier.update(HeaderSignature.signedData(c, HeaderField.parse(head, head.length), names, template));
      assertThat(verifier.verify(Base64.getDecoder().decode(b.group(1).replaceAll("\\s", "")))).as(c.tag()).isTrue();
    }
  }

  /** Streamed content gives the same field as whole content, wherever it is split (Ed25519 is deterministic). */
  @Test
  void everySplitGivesTheSameField() throws Exception {
    DkimSigner signer = new DkimSigner(options(ed25519()), CLOCK);
    String whole = field(signer, MESSAGE);
    byte[] bytes = MESSAGE.getBytes(ISO_8859_1);
    for (int split = 0; split <= bytes.length; split++) {
      MessageSigning signing = signer.start();
      signing.update(bytes, 0, split);
      signing.update(bytes, split, bytes.length - split);
      assertThat(signing.finish().toString(US_ASCII)).as("split at %d", split).isEqualTo(whole);
    }
    MessageSigning oneByOne = signer.start();
    for (int i = 0; i < bytes.length; i++) {
      oneByOne.update(bytes, i, 1);
    }
    assertThat(oneByOne.finish().toString(US_ASCII)).isEqualTo(whole);
  }

  /** The signature is over the bytes the wire carries: the content and its wire form sign alike, for both c=. */
  @Test
  void contentAndItsWireFormSignAlike() throws Exception {
    KeyPair keys = ed25519();
    for (DkimCanonicalization header : DkimCanonicalization.values()) {
      for (DkimCanonicalization body : DkimCanonicalization.values()) {
        DkimSigner signer = new DkimSigner(options(keys).setCanonicalization(header, body), CLOCK);
        String wire = DotStuffer.encodeAll(Buffer.buffer(MESSAGE.getBytes(ISO_8859_1)), false).toString(ISO_8859_1);
        assertThat(field(signer, MESSAGE)).isEqualTo(field(signer, wire));
      }
    }
  }

  @Test
  void signPrependsTheField() throws Exception {
    DkimSigner signer = new DkimSigner(options(ed25519()), CLOCK);
    Buffer content = Buffer.buffer(MESSAGE.getBytes(ISO_8859_1));
    Buffer signed = signer.sign(content);
    assertThat(signed.toString(ISO_8859_1)).isEqualTo(field(signer, MESSAGE) + MESSAGE);
  }

  @Test
  void aMessageWithoutBodyIsAllHeader() throws Exception {
    DkimSigner signer = new DkimSigner(options(ed25519()).setBodyCanonicalization(DkimCanonicalization.SIMPLE),
      CLOCK);
    String field = field(signer, "From: a@example.test\r\nSubject: x");
    // simple: the empty body is one CRLF.
    assertThat(unfold(field)).contains(" h=From:Subject:From; ")
      .contains("bh=frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=;");
  }

  @Test
  void aMessageWithoutFromCannotBeSigned() throws Exception {
    DkimSigner signer = new DkimSigner(options(ed25519()), CLOCK);
    assertThatThrownBy(() -> field(signer, "To: b@example.test\r\n\r\nhi\r\n"))
      .isInstanceOfSatisfying(SmtpException.class, e -> assertThat(e.phase()).isEqualTo(SmtpPhase.INPUT))
      .hasMessageContaining("no From header");
  }

  @Test
  void theAlgorithmFollowsTheKey() throws Exception {
    KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    assertThat(field(new DkimSigner(options(rsa), CLOCK), MESSAGE)).contains("a=rsa-sha256;");
    assertThat(options(ed25519()).getAlgorithm()).isEqualTo(DkimAlgorithm.ED25519_SHA256);
  }
}
