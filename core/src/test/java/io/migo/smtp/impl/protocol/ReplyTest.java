package io.migo.smtp.impl.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyTest {

  @Test
  void enhancedCodeFromFirstLine() {
    Reply reply = Reply.of(550, "5.1.1 <x@example.com>: Recipient address rejected");
    assertThat(reply.enhancedCode()).isEqualTo(new EnhancedStatusCode(5, 1, 1));
  }

  @Test
  void enhancedCodeOfWrongClassIsIgnored() {
    assertThat(Reply.of(250, "5.1.1 x").enhancedCode()).isNull();
    assertThat(Reply.of(550, "2.0.0 x").enhancedCode()).isNull();
    assertThat(Reply.of(354, "2.0.0 x").enhancedCode()).as("3yz has no enhanced class").isNull();
  }

  @Test
  void enhancedCodeOnlyFromFirstLine() {
    assertThat(Reply.of(550, "Rejected", "5.7.1 policy").enhancedCode()).isNull();
  }

  @Test
  void messageStripsEachLinesCode() {
    Reply reply = Reply.of(550, "5.7.1 Relaying denied.", "5.7.1 See https://example.com/policy", "", "plain");
    assertThat(reply.message()).isEqualTo("Relaying denied. See https://example.com/policy plain");
  }

  @Test
  void messageKeepsCodesOfTheWrongClass() {
    assertThat(Reply.of(250, "5.1.1 x").message()).isEqualTo("5.1.1 x");
  }

  @Test
  void messageOfCodeOnlyLines() {
    assertThat(Reply.of(250, "").message()).isEmpty();
    assertThat(Reply.of(250, "2.0.0").message()).isEmpty();
  }

  @Test
  void categories() {
    assertThat(Reply.of(250, "").isPositiveCompletion()).isTrue();
    assertThat(Reply.of(354, "").isPositiveIntermediate()).isTrue();
    assertThat(Reply.of(421, "").isTransientNegative()).isTrue();
    assertThat(Reply.of(554, "").isPermanentNegative()).isTrue();
    Reply r = Reply.of(334, "");
    assertThat(List.of(r.isPositiveCompletion(), r.isTransientNegative(), r.isPermanentNegative()))
        .containsOnly(false);
  }

  @Test
  void toExceptionCarriesEverything() {
    Reply reply = Reply.of(535, "5.7.8 Error: authentication failed:", "5.7.8 bad credentials");
    SmtpException e = reply.toException(SmtpPhase.AUTH, SmtpException.Reason.AUTHENTICATION_FAILED, "login refused");
    assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
    assertThat(e.reason()).isEqualTo(SmtpException.Reason.AUTHENTICATION_FAILED);
    assertThat(e.replyCode()).isEqualTo(535);
    assertThat(e.enhancedCode()).isEqualTo("5.7.8");
    assertThat(e.serverLines()).containsExactly("5.7.8 Error: authentication failed:", "5.7.8 bad credentials");
    assertThat(e.getMessage())
        .isEqualTo("AUTH: login refused: Error: authentication failed: bad credentials [535 5.7.8]");
    assertThat(e.isPermanent()).isTrue();
  }

  @Test
  void toExceptionWithoutEnhancedCode() {
    SmtpException e = Reply.of(451, "try later").toException(SmtpPhase.RCPT, SmtpException.Reason.REPLY, "refused");
    assertThat(e.enhancedCode()).isNull();
    assertThat(e.getMessage()).isEqualTo("RCPT: refused: try later [451]");
  }

  @Test
  void toStringAsOnTheWire() {
    assertThat(Reply.of(250, "2.0.0 Ok")).hasToString("250 2.0.0 Ok");
    assertThat(Reply.of(250, "")).hasToString("250");
    assertThat(Reply.of(250, "mail.example.com", "PIPELINING", "SIZE 1000"))
        .hasToString("250-mail.example.com 250-PIPELINING 250 SIZE 1000");
  }

  @Test
  void immutable() {
    List<String> lines = new ArrayList<>(List.of("a"));
    Reply reply = new Reply(250, lines);
    lines.add("b");
    assertThat(reply.lines()).containsExactly("a");
    assertThatThrownBy(() -> reply.lines().add("c")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void validates() {
    assertThatThrownBy(() -> Reply.of(199, "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Reply.of(600, "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Reply.of(250)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void equality() {
    assertThat(Reply.of(250, "a", "b")).isEqualTo(Reply.of(250, "a", "b")).hasSameHashCodeAs(Reply.of(250, "a", "b"));
    assertThat(Reply.of(250, "a")).isNotEqualTo(Reply.of(251, "a"));
  }
}
