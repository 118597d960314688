package io.migo.smtp.impl.protocol;

import io.migo.smtp.DsnOptions;
import io.migo.smtp.DsnOptions.Notify;
import io.migo.smtp.DsnOptions.Return;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DsnParametersTest {

  @Test
  void nothingAskedMeansNoParameters() {
    assertThat(DsnOptions.none().isEmpty()).isTrue();
    assertThat(DsnParameters.mail(DsnOptions.none())).isEmpty();
    assertThat(DsnParameters.rcpt(DsnOptions.none(), "b@example.test")).isEmpty();
  }

  @Test
  void mailCarriesRetAndTheEnvelopeIdAsXtext() {
    DsnOptions dsn = DsnOptions.none().withReturn(Return.HEADERS).withEnvelopeId("campaign 42+a=b");
    assertThat(DsnParameters.mail(dsn)).containsExactly("RET=HDRS", "ENVID=campaign+2042+2Ba+3Db");
    assertThat(DsnParameters.mail(DsnOptions.none().withReturn(Return.FULL))).containsExactly("RET=FULL");
  }

  @Test
  void rcptCarriesNotifyInAFixedOrderAndTheOriginalRecipient() {
    DsnOptions dsn = DsnOptions.none().withNotify(Notify.DELAY, Notify.FAILURE).withOriginalRecipients(true);
    assertThat(DsnParameters.rcpt(dsn, "bob+news@example.test"))
      .containsExactly("NOTIFY=FAILURE,DELAY", "ORCPT=rfc822;bob+2Bnews@example.test");
    assertThat(DsnParameters.rcpt(DsnOptions.none().withNotify(Notify.SUCCESS, Notify.FAILURE, Notify.DELAY), "b@x.test"))
      .containsExactly("NOTIFY=SUCCESS,FAILURE,DELAY");
  }

  @Test
  void neverIsNeverMixedWithEvents() {
    DsnOptions dsn = DsnOptions.none().withNotify(Notify.SUCCESS).withNotifyNever();
    assertThat(DsnParameters.rcpt(dsn, "b@example.test")).containsExactly("NOTIFY=NEVER");
    assertThat(dsn.notifyOn()).hasValue(java.util.Set.of());
  }

  @Test
  void aNonAsciiRecipientGoesWithoutOrcpt() {
    DsnOptions dsn = DsnOptions.none().withNotify(Notify.FAILURE).withOriginalRecipients(true);
    assertThat(DsnParameters.rcpt(dsn, "jörg@example.test")).containsExactly("NOTIFY=FAILURE");
  }

  @Test
  void xtextEncodesEverythingOutsideBangToTildeAndPlusAndEquals() {
    assertThat(DsnParameters.xtext("a b+c=d~!")).isEqualTo("a+20b+2Bc+3Dd~!");
    assertThat(DsnParameters.xtext("<id@host>")).isEqualTo("<id@host>");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "line\r\nRCPT TO:<x@y>", "tab\there", "caf\u00e9", "nul\u0000"})
  void aBadEnvelopeIdIsRefusedBeforeAnythingIsSent(String id) {
    assertThatThrownBy(() -> DsnParameters.validate(DsnOptions.none().withEnvelopeId(id)))
      .isInstanceOfSatisfying(SmtpException.class, e -> {
        assertThat(e.phase()).isEqualTo(SmtpPhase.INPUT);
        assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT);
      })
      .hasMessageContaining("DSN envelope id");
  }

  @Test
  void theEnvelopeIdMayBeAHundredCharactersOfXtextAndNoMore() {
    DsnParameters.validate(DsnOptions.none().withEnvelopeId("x".repeat(100)));
    assertThatThrownBy(() -> DsnParameters.validate(DsnOptions.none().withEnvelopeId("x".repeat(101))))
      .hasMessageContaining("101 characters");
    // 34 spaces are 102 characters once encoded.
    assertThatThrownBy(() -> DsnParameters.validate(DsnOptions.none().withEnvelopeId(" ".repeat(34))))
      .hasMessageContaining("102 characters");
  }

  @Test
  void optionsAreValuesAndCopiesLeaveTheOriginalAlone() {
    DsnOptions base = DsnOptions.none().withReturn(Return.HEADERS);
    DsnOptions more = base.withEnvelopeId("id-1");
    assertThat(base.envelopeId()).isEmpty();
    assertThat(more).isEqualTo(DsnOptions.none().withEnvelopeId("id-1").withReturn(Return.HEADERS))
      .hasSameHashCodeAs(DsnOptions.none().withEnvelopeId("id-1").withReturn(Return.HEADERS));
    assertThat(more.toString()).contains("HEADERS", "id-1");
  }
}
