package io.migo.smtp.impl.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {

  /** Decodes wire text, so that the tests also cover what the decoder hands over. */
  private static Capabilities parseWire(String wire) {
    List<Reply> replies = new ArrayList<>();
    new ReplyDecoder(512, 64, replies::add).feed(Buffer.buffer(wire));
    assertThat(replies).hasSize(1);
    return Capabilities.parse(replies.get(0));
  }

  @Test
  void postfixAfterStartTls() {
    Capabilities caps = parseWire(""
        + "250-mail.example.com\r\n"
        + "250-PIPELINING\r\n"
        + "250-SIZE 10240000\r\n"
        + "250-VRFY\r\n"
        + "250-ETRN\r\n"
        + "250-AUTH PLAIN LOGIN CRAM-MD5\r\n"
        + "250-AUTH=PLAIN LOGIN\r\n"
        + "250-ENHANCEDSTATUSCODES\r\n"
        + "250-8BITMIME\r\n"
        + "250-DSN\r\n"
        + "250-SMTPUTF8\r\n"
        + "250 CHUNKING\r\n");
    assertThat(caps.pipelining()).isTrue();
    assertThat(caps.maxSize()).hasValue(10240000);
    assertThat(caps.authMechanisms()).containsExactly("PLAIN", "LOGIN", "CRAM-MD5");
    assertThat(caps.enhancedStatusCodes()).isTrue();
    assertThat(caps.eightBitMime()).isTrue();
    assertThat(caps.dsn()).isTrue();
    assertThat(caps.smtpUtf8()).isTrue();
    assertThat(caps.chunking()).isTrue();
    assertThat(caps.startTls()).as("not offered again after STARTTLS").isFalse();
    assertThat(caps.binaryMime()).isFalse();
    assertThat(caps.supports("VRFY")).isTrue();
    assertThat(caps.supports("etrn")).isTrue();
    assertThat(caps.supports("mail.example.com")).as("the greeting line is not a keyword").isFalse();
    assertThat(caps.parameters("AUTH")).isEqualTo("PLAIN LOGIN CRAM-MD5");
    assertThat(caps.parameters("VRFY")).isEmpty();
    assertThat(caps.parameters("XCLIENT")).isNull();
    assertThat(caps).hasToString("Capabilities[PIPELINING, SIZE, VRFY, ETRN, AUTH, ENHANCEDSTATUSCODES, 8BITMIME, "
        + "DSN, SMTPUTF8, CHUNKING]");
  }

  @Test
  void smtpSinkWithEmptyLastLine() {
    Capabilities caps = parseWire(""
        + "250-sink.example.com\r\n"
        + "250-PIPELINING\r\n"
        + "250-8BITMIME\r\n"
        + "250-AUTH PLAIN LOGIN\r\n"
        + "250-XCLIENT NAME HELO\r\n"
        + "250-XFORWARD NAME ADDR PROTO HELO\r\n"
        + "250-ENHANCEDSTATUSCODES\r\n"
        + "250-SMTPUTF8\r\n"
        + "250 \r\n");
    assertThat(caps.pipelining()).isTrue();
    assertThat(caps.authMechanisms()).containsExactly("PLAIN", "LOGIN");
    assertThat(caps.parameters("xforward")).isEqualTo("NAME ADDR PROTO HELO");
    assertThat(caps.maxSize()).isEmpty();
    assertThat(caps.toString()).doesNotContain(", ]");
  }

  @Test
  void legacyAuthOnly() {
    Capabilities caps = Capabilities.parse(Reply.of(250, "old.example.com", "AUTH=LOGIN PLAIN", "8BITMIME"));
    assertThat(caps.authMechanisms()).containsExactly("LOGIN", "PLAIN");
    assertThat(caps.supports("AUTH")).isTrue();
    assertThat(caps.parameters("AUTH")).isEqualTo("LOGIN PLAIN");
  }

  @Test
  void authMechanismsAreTheUnion() {
    Capabilities caps = Capabilities.parse(Reply.of(250, "x", "AUTH=NTLM LOGIN", "AUTH login xoauth2"));
    assertThat(caps.authMechanisms()).containsExactly("NTLM", "LOGIN", "XOAUTH2");
    assertThat(caps.parameters("AUTH")).isEqualTo("login xoauth2");
  }

  @Test
  void lowerCaseKeywords() {
    Capabilities caps = Capabilities.parse(Reply.of(250, "x", "pipelining", "size 1000", "starttls",
        "auth plain", "8bitmime", "binarymime", "chunking"));
    assertThat(caps.pipelining()).isTrue();
    assertThat(caps.maxSize()).hasValue(1000);
    assertThat(caps.startTls()).isTrue();
    assertThat(caps.authMechanisms()).containsExactly("PLAIN");
    assertThat(caps.eightBitMime()).isTrue();
    assertThat(caps.binaryMime()).isTrue();
    assertThat(caps.chunking()).isTrue();
    assertThat(caps.supports("Pipelining")).isTrue();
  }

  @Test
  void garbageLinesAreIgnored() {
    Capabilities caps = Capabilities.parse(Reply.of(250, "x",
        "", "   ", "-DASH", "SIZE=1000", "a_b", "é8BIT", "!!!", "DSN", "  PIPELINING  ", "AUTH"));
    assertThat(caps.supports("-DASH")).isFalse();
    assertThat(caps.supports("SIZE")).isFalse();
    assertThat(caps.maxSize()).isEmpty();
    assertThat(caps.supports("A_B")).isFalse();
    assertThat(caps.dsn()).isTrue();
    assertThat(caps.pipelining()).isTrue();
    assertThat(caps.supports("AUTH")).isTrue();
    assertThat(caps.authMechanisms()).isEmpty();
    assertThat(caps).hasToString("Capabilities[DSN, PIPELINING, AUTH]");
  }

  @Test
  void sizeWithoutLimit() {
    assertThat(Capabilities.parse(Reply.of(250, "x", "SIZE")).maxSize()).isEqualTo(OptionalLong.of(0));
    assertThat(Capabilities.parse(Reply.of(250, "x", "SIZE 0")).maxSize()).isEqualTo(OptionalLong.of(0));
    assertThat(Capabilities.parse(Reply.of(250, "x", "SIZE abc")).maxSize()).isEqualTo(OptionalLong.of(0));
    assertThat(Capabilities.parse(Reply.of(250, "x", "SIZE -5")).maxSize()).isEqualTo(OptionalLong.of(0));
    assertThat(Capabilities.parse(Reply.of(250, "x", "SIZE 99999999999999999999999")).maxSize())
        .isEqualTo(OptionalLong.of(0));
    assertThat(Capabilities.parse(Reply.of(250, "x", "SIZE  52428800 ")).maxSize()).hasValue(52428800);
  }

  @Test
  void greetingOnly() {
    Capabilities caps = Capabilities.parse(Reply.of(250, "mx.example.com Hello [192.0.2.1]"));
    assertThat(caps.supports("MX.EXAMPLE.COM")).isFalse();
    assertThat(caps).hasToString("Capabilities[]");
  }

  @Test
  void none() {
    Capabilities none = Capabilities.none();
    assertThat(none.pipelining()).isFalse();
    assertThat(none.startTls()).isFalse();
    assertThat(none.maxSize()).isEmpty();
    assertThat(none.authMechanisms()).isEmpty();
    assertThat(none.parameters("SIZE")).isNull();
  }

  @Test
  void immutable() {
    Capabilities caps = Capabilities.parse(Reply.of(250, "x", "AUTH PLAIN"));
    assertThatThrownBy(() -> caps.authMechanisms().add("LOGIN")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void refusesNegativeReply() {
    assertThatThrownBy(() -> Capabilities.parse(Reply.of(502, "5.5.2 EHLO not implemented")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
