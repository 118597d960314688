package io.migo.smtp.impl.session;

import io.migo.smtp.TlsMode;
import io.migo.smtp.impl.protocol.Capabilities;
import io.migo.smtp.impl.protocol.Reply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HintsTest {

  private static final Capabilities STARTTLS = Capabilities.parse(Reply.of(250, "mx.test", "PIPELINING", "STARTTLS"));
  private static final Capabilities NO_STARTTLS = Capabilities.parse(Reply.of(250, "mx.test", "PIPELINING"));
  private static final Reply MUST_STARTTLS = Reply.of(530, "5.7.0 Must issue a STARTTLS command first");

  @Test
  void aRefusalThatDemandsTlsOnAPlainSessionWithStartTlsOfferedGetsTheAdvice() {
    assertThat(Hints.startTlsFirst(MUST_STARTTLS, false, STARTTLS, TlsMode.NONE))
      .isEqualTo("the server offers STARTTLS but TLS is off (TlsMode.NONE / --tls none); it accepts this command"
        + " only over TLS: use TlsMode.STARTTLS_REQUIRED (CLI: --tls starttls)");
    assertThat(Hints.startTlsFirst(Reply.of(554, "5.7.0 STARTTLS required"), false, STARTTLS, TlsMode.NONE))
      .contains("TLS is off");
  }

  @Test
  void noAdviceWhenTlsWouldNotHelpOrIsAlreadyOn() {
    assertThat(Hints.startTlsFirst(MUST_STARTTLS, true, STARTTLS, TlsMode.STARTTLS_REQUIRED)).isNull();
    assertThat(Hints.startTlsFirst(MUST_STARTTLS, false, NO_STARTTLS, TlsMode.NONE)).isNull();
    assertThat(Hints.startTlsFirst(Reply.of(550, "5.7.1 Relaying denied"), false, STARTTLS, TlsMode.NONE)).isNull();
    assertThat(Hints.startTlsFirst(Reply.of(554, "5.7.0 Policy rejection"), false, STARTTLS, TlsMode.NONE)).isNull();
  }

  @Test
  void aSessionThatWentOnInClearAfterARefusedStartTlsIsNamedByItsMode() {
    assertThat(Hints.startTlsFirst(MUST_STARTTLS, false, STARTTLS, TlsMode.STARTTLS_OPTIONAL))
      .startsWith("the server offers STARTTLS but this session is not encrypted (TlsMode.STARTTLS_OPTIONAL)");
  }
}
