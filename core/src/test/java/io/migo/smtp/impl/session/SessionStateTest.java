package io.migo.smtp.impl.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.migo.smtp.impl.session.SessionState.*;
import static org.assertj.core.api.Assertions.assertThat;

class SessionStateTest {

  @Test
  void theHandshakeGoesInOneDirection() {
    assertThat(GREETING.canMoveTo(EHLO)).isTrue();
    assertThat(EHLO.canMoveTo(STARTTLS)).isTrue();
    assertThat(STARTTLS.canMoveTo(TLS_HANDSHAKE)).isTrue();
    assertThat(TLS_HANDSHAKE.canMoveTo(EHLO_SECURE)).isTrue();
    assertThat(EHLO_SECURE.canMoveTo(AUTH)).isTrue();
    assertThat(AUTH.canMoveTo(READY)).isTrue();
  }

  @Test
  void securityRelevantShortcutsAreImpossible() {
    assertThat(EHLO_SECURE.canMoveTo(STARTTLS)).as("a second STARTTLS").isFalse();
    assertThat(TLS_HANDSHAKE.canMoveTo(AUTH)).as("AUTH without a fresh EHLO over TLS").isFalse();
    assertThat(HELO.canMoveTo(STARTTLS)).as("STARTTLS without EHLO").isFalse();
    assertThat(HELO.canMoveTo(AUTH)).as("AUTH without EHLO").isFalse();
    assertThat(GREETING.canMoveTo(READY)).as("mail before EHLO").isFalse();
    assertThat(READY.canMoveTo(AUTH)).as("AUTH again").isFalse();
    assertThat(TRANSACTION.canMoveTo(READY)).as("a failed transaction must be reset").isFalse();
    assertThat(SENDING_DATA.canMoveTo(RESET_PENDING)).as("RSET cannot interrupt DATA content").isFalse();
    assertThat(SENDING_CHUNKS.canMoveTo(RESET_PENDING)).as("BDAT chunks are framed, so RSET can follow").isTrue();
  }

  @ParameterizedTest
  @EnumSource(SessionState.class)
  void everyStateCanCloseAndClosedIsTerminal(SessionState state) {
    assertThat(state.canMoveTo(CLOSED)).isEqualTo(state != CLOSED);
    assertThat(CLOSED.canMoveTo(state)).isFalse();
  }

  @Test
  void onlyReadyAndResetPendingTakeANewMessage() {
    for (SessionState state : SessionState.values()) {
      assertThat(state.isIdle()).as(state.name()).isEqualTo(state == READY || state == RESET_PENDING);
    }
  }
}
