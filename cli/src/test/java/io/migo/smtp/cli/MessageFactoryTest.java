package io.migo.smtp.cli;

import io.vertx.ext.mail.MailMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MessageFactoryTest {

  @ParameterizedTest
  @ValueSource(ints = {50, 100, 1000, 4096, 100_000, 1_000_000})
  void paddingReachesTheSizeWithinTenPercent(int size) {
    MailMessage message = MessageFactory.text("a@example.com", List.of("b@example.com"), null, null, size)
      .mailMessage();
    String text = message.getText();

    assertThat(text).startsWith(MessageFactory.DEFAULT_TEXT + "\n");
    assertThat((double) text.getBytes(StandardCharsets.UTF_8).length).isCloseTo(size, within(size * 0.10));
    assertThat(text.split("\n", -1)).allSatisfy(line -> {
      assertThat(line.length()).isLessThanOrEqualTo(998);
      assertThat(line).doesNotStartWith(".").doesNotContain("\r");
    });
  }

  @Test
  void paddingLinesAreSeventySixPrintableCharacters() {
    String text = MessageFactory.pad("x", 10_000);
    String[] lines = text.split("\n");
    for (int i = 1; i < lines.length - 1; i++) {
      assertThat(lines[i]).hasSize(MessageFactory.PAD_LINE_WIDTH).matches("[\\x21-\\x7e]+");
    }
  }

  @Test
  void textAlreadyLongerThanTheSizeIsLeftAlone() {
    assertThat(MessageFactory.pad("Hello, world", 5)).isEqualTo("Hello, world");
    assertThat(MessageFactory.pad("Hello, world", 0)).isEqualTo("Hello, world");
  }

  @Test
  void defaultsAndAddresses() {
    MailMessage message = MessageFactory.text("a@example.com", List.of("b@example.com", "c@example.com"), null, null, 0)
      .mailMessage();
    assertThat(message.getFrom()).isEqualTo("a@example.com");
    assertThat(message.getTo()).containsExactly("b@example.com", "c@example.com");
    assertThat(message.getSubject()).isEqualTo(MessageFactory.DEFAULT_SUBJECT);
    assertThat(message.getText()).isEqualTo(MessageFactory.DEFAULT_TEXT);
  }

  @Test
  void eachSendGetsItsOwnCopy() {
    MessageFactory factory = MessageFactory.text("a@example.com", List.of("b@example.com"), "s", "t", 0);
    MailMessage first = factory.mailMessage();
    first.setSubject("changed");
    assertThat(factory.mailMessage().getSubject()).isEqualTo("s");
  }

  @Test
  void rawMessageKeepsTheBytes() {
    byte[] eml = "Subject: hi\n\nbody\n".getBytes(StandardCharsets.US_ASCII);
    MessageFactory factory = MessageFactory.raw("a@example.com", List.of("b@example.com"), eml);
    assertThat(factory.rawMessage().getBytes()).isEqualTo(eml);
    assertThat(factory.mailMessage()).isNull();
  }
}
