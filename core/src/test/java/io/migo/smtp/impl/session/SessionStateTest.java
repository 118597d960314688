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

  @Test
  void aMessageBehindAnotherWaitsForItsVerdictAndItsOwn354() {
    assertThat(AWAITING_DELIVERY.canMoveTo(TRANSACTION_BEHIND_DELIVERY)).as("envelope behind the dot").isTrue();
    assertThat(TRANSACTION_BEHIND_DELIVERY.canMoveTo(TRANSACTION)).as("the previous verdict came").isTrue();
    assertThat(TRANSACTION_BEHIND_DELIVERY.canMoveTo(SENDING_DATA)).as("content before the previous verdict")
      .isFalse();
    assertThat(TRANSACTION_BEHIND_DELIVERY.canMoveTo(TRANSACTION_BEHIND_DELIVERY)).isFalse();
    assertThat(TRANSACTION_BEHIND_DELIVERY.canMoveTo(READY)).as("the second message is still under way").isFalse();
    assertThat(SENDING_DATA.canMoveTo(TRANSACTION_BEHIND_DELIVERY)).as("only once the content is all written")
      .isFalse();
    assertThat(SENDING_CHUNKS.canMoveTo(TRANSACTION_BEHIND_DELIVERY)).isFalse();
    assertThat(TRANSACTION_BEHIND_DELIVERY.awaitsVerdict()).isTrue();
    assertThat(TRANSACTION_BEHIND_DELIVERY.isIdle()).isFalse();
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
