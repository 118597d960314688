package io.migo.smtp.impl.session;

import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A 421 ends the session (RFC 5321 §3.8): what the server sends after it answers nothing. */
class ClosingReplyTest extends ScriptedClientTestBase {

  @Test
  void a421GreetingFollowedByA220IsThe421() {
    // What Postfix sends over implicit TLS when it requires a client certificate and gets none.
    server.script(Step.greeting("421 4.7.1 scripted.test Error: No client certificate presented",
      "220 scripted.test ESMTP"));
    start(plainOptions(listen()));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.phase()).isEqualTo(SmtpPhase.GREETING);
    assertThat(e.reason()).isEqualTo(Reason.REPLY);
    assertThat(e.replyCode()).isEqualTo(421);
    assertThat(e.enhancedCode()).isEqualTo("4.7.1");
  }

  @Test
  void a421NoCommandAskedForIsStillAProtocolError() {
    server.script(greeting(), Step.on("EHLO client.example").reply("250-scripted.test", "250 PIPELINING",
      "421 4.3.2 out of turn"));
    start(plainOptions(listen()));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.reason()).isEqualTo(Reason.PROTOCOL);
    assertThat(e.getMessage()).contains("no command asked for");
  }
}
