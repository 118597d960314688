package io.migo.smtp.impl.session;

import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.impl.protocol.Capabilities;
import io.migo.smtp.impl.protocol.Reply;
import org.junit.jupiter.api.Test;

import static io.migo.smtp.impl.session.TransactionPlan.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The whole decision table: what the server offers × what the client allows × whether the session is proven. */
class TransactionPlanTest {

  private static final Capabilities BOTH = caps("PIPELINING", "CHUNKING");
  private static final Capabilities PIPELINING_ONLY = caps("PIPELINING");
  private static final Capabilities CHUNKING_ONLY = caps("CHUNKING");
  private static final Capabilities NEITHER = caps("8BITMIME");

  @Test
  void withPipeliningAndChunkingAProvenSessionSendsTheWholeMessageInOneWrite() {
    assertThat(choose(BOTH, settings(), true)).isEqualTo(BDAT_IN_ONE_WRITE);
  }

  @Test
  void theFirstMessageOfASessionWaitsForTheEnvelopeRepliesBeforeItsChunks() {
    assertThat(choose(BOTH, settings(), false)).isEqualTo(PIPELINED_ENVELOPE_THEN_BDAT);
  }

  @Test
  void failingOnARefusedRecipientKeepsTheContentBehindTheRcptReplies() {
    SessionSettings strict = settings(new SmtpClientOptions().setFailOnRejectedRecipients(true));
    assertThat(choose(BOTH, strict, true)).isEqualTo(PIPELINED_ENVELOPE_THEN_BDAT);
    assertThat(choose(PIPELINING_ONLY, strict, true)).isEqualTo(PIPELINED_ENVELOPE_THEN_DATA);
    assertThat(choose(PIPELINING_ONLY, strict, false)).isEqualTo(PIPELINED_ENVELOPE_THEN_DATA);
    assertThat(choose(NEITHER, strict, true)).isEqualTo(LOCK_STEP_THEN_DATA);
  }

  @Test
  void withLmtpTheLastBdatWaitsForTheRcptRepliesThatCountItsReplies() {
    SessionSettings lmtp = settings(new SmtpClientOptions().setProtocol(io.migo.smtp.MailProtocol.LMTP));
    assertThat(choose(BOTH, lmtp, true)).isEqualTo(PIPELINED_ENVELOPE_THEN_BDAT);
    assertThat(choose(PIPELINING_ONLY, lmtp, true)).isEqualTo(PIPELINED_ENVELOPE_WITH_DATA);
    assertThat(choose(PIPELINING_ONLY, lmtp, true).letsTheNextEnvelopeFollow()).isTrue();
  }

  @Test
  void withPipeliningOnlyDataJoinsTheEnvelopeProvenOrNot() {
    assertThat(choose(PIPELINING_ONLY, settings(), true)).isEqualTo(PIPELINED_ENVELOPE_WITH_DATA);
    assertThat(choose(PIPELINING_ONLY, settings(), false)).isEqualTo(PIPELINED_ENVELOPE_WITH_DATA);
  }

  @Test
  void withoutPipeliningEveryCommandWaitsForItsReply() {
    assertThat(choose(NEITHER, settings(), true)).isEqualTo(LOCK_STEP_THEN_DATA);
    assertThat(choose(CHUNKING_ONLY, settings(), true)).isEqualTo(LOCK_STEP_THEN_BDAT);
    assertThat(choose(CHUNKING_ONLY, settings(), false)).isEqualTo(LOCK_STEP_THEN_BDAT);
  }

  @Test
  void anExtensionTheClientTurnedOffIsNotUsed() {
    assertThat(choose(BOTH, settings(new SmtpClientOptions().setPipelining(false)), true))
      .isEqualTo(LOCK_STEP_THEN_BDAT);
    assertThat(choose(BOTH, settings(new SmtpClientOptions().setChunking(false)), true))
      .isEqualTo(PIPELINED_ENVELOPE_WITH_DATA);
    assertThat(choose(BOTH, settings(new SmtpClientOptions().setPipelining(false).setChunking(false)), true))
      .isEqualTo(LOCK_STEP_THEN_DATA);
  }

  private static Capabilities caps(String... keywords) {
    String[] lines = new String[keywords.length + 1];
    lines[0] = "mx.test";
    System.arraycopy(keywords, 0, lines, 1, keywords.length);
    return Capabilities.parse(Reply.of(250, lines));
  }

  private static SessionSettings settings() {
    return settings(new SmtpClientOptions());
  }

  private static SessionSettings settings(SmtpClientOptions options) {
    return new SessionSettings(options.setHost("mx.test"), "client.test");
  }
}
