package io.migo.smtp;

import io.migo.smtp.ThrottlingRules.Kind;
import io.migo.smtp.ThrottlingRules.Rule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every row of the default table, with the replies real relays give (issue 11, notes/real-servers.md). */
class ThrottlingRulesTest {

  private final ThrottlingRules rules = ThrottlingRules.defaults();

  @Test
  void connectionLimits() {
    assertThat(rules.classify(SmtpPhase.GREETING, 421, "4.7.0",
      "mx.example Error: too many connections from 127.0.0.1")).isEqualTo(Kind.CONNECTION_LIMIT);
    assertThat(rules.classify(SmtpPhase.EHLO, 432, "4.3.2", "Concurrent connections limit exceeded"))
      .isEqualTo(Kind.CONNECTION_LIMIT);
    assertThat(rules.classify(SmtpPhase.GREETING, 421, "4.3.2", "Service not available"))
      .isEqualTo(Kind.CONNECTION_LIMIT);
  }

  @Test
  void rateLimits() {
    assertThat(rules.classify(SmtpPhase.MAIL, 450, "4.7.1", "Error: too much mail from 127.0.0.1"))
      .isEqualTo(Kind.RATE_LIMIT);
    assertThat(rules.classify(SmtpPhase.MAIL, 454, null, "Throttling failure: Maximum sending rate exceeded."))
      .isEqualTo(Kind.RATE_LIMIT);
    assertThat(rules.classify(SmtpPhase.RCPT, 450, "4.7.1", "Error: too many recipients from 127.0.0.1"))
      .as("a recipient *rate*: 450, not 452").isEqualTo(Kind.RATE_LIMIT);
    assertThat(rules.classify(SmtpPhase.DATA_END, 421, "4.7.0",
      "This message was sent from an IP with an unusual rate of unsolicited mail")).isEqualTo(Kind.RATE_LIMIT);
    assertThat(rules.classify(SmtpPhase.MAIL, 451, null, "Account message rate limit exceeded"))
      .isEqualTo(Kind.RATE_LIMIT);
  }

  @Test
  void sessionMessageAndRecipientLimits() {
    assertThat(rules.classify(SmtpPhase.MAIL, 421, "4.7.0", "Too many messages in this session"))
      .isEqualTo(Kind.SESSION_MESSAGE_LIMIT);
    assertThat(rules.classify(SmtpPhase.RCPT, 452, "4.5.3", "Error: too many recipients"))
      .isEqualTo(Kind.RECIPIENT_LIMIT);
    assertThat(rules.classify(SmtpPhase.RCPT, 452, null, "Too many recipients")).isEqualTo(Kind.RECIPIENT_LIMIT);
  }

  @Test
  void quotas() {
    assertThat(rules.classify(SmtpPhase.MAIL, 550, "5.4.5", "Daily user sending quota exceeded."))
      .isEqualTo(Kind.QUOTA);
    assertThat(rules.classify(SmtpPhase.DATA_END, 554, "5.2.0",
      "STOREDRV.Submission.Exception:SubmissionQuotaExceededException")).isEqualTo(Kind.QUOTA);
    assertThat(rules.classify(SmtpPhase.RCPT, 552, "5.2.2", "Mailbox full, quota exceeded"))
      .as("a recipient's full mailbox is that recipient's, not the job's").isNull();
  }

  @Test
  void ordinaryRefusalsAreNotThrottling() {
    assertThat(rules.classify(SmtpPhase.MAIL, 421, "4.3.2", "Service shutting down")).isNull();
    assertThat(rules.classify(SmtpPhase.MAIL, 451, "4.3.0", "Try again later")).isNull();
    assertThat(rules.classify(SmtpPhase.RCPT, 550, "5.1.1", "User unknown")).isNull();
    assertThat(rules.classify(SmtpPhase.STARTTLS, 454, "4.7.0", "TLS not available due to temporary reason")).isNull();
    assertThat(rules.classify(SmtpPhase.AUTH, 454, "4.7.0", "Temporary authentication failure")).isNull();
    assertThat(rules.classify(SmtpPhase.MAIL, 250, "2.1.0", "rate ok")).isNull();
    assertThat(rules.classify(SmtpPhase.DATA_END, 554, "5.7.1", "separate issue")).as("'rate' as a word only")
      .isNull();
  }

  @Test
  void rulesCanBeAddedAndRemoved() {
    ThrottlingRules custom = rules.with(Rule.of(Kind.RATE_LIMIT, Set.of(451), List.of(), List.of("slow down")));
    assertThat(custom.classify(451, null, "Please SLOW DOWN")).isEqualTo(Kind.RATE_LIMIT);
    assertThat(rules.classify(451, null, "Please SLOW DOWN")).as("the defaults are unchanged").isNull();
    assertThat(rules.without(Kind.QUOTA).classify(SmtpPhase.MAIL, 550, "5.4.5", "Daily quota")).isNull();
    assertThat(ThrottlingRules.none().classify(SmtpPhase.GREETING, 432, "4.3.2", "too many connections")).isNull();
  }

  @Test
  void optionsCopyTheRules() {
    SmtpClientOptions options = new SmtpClientOptions().setMaxRate(5).setThrottlingRules(ThrottlingRules.none());
    SmtpClientOptions copy = new SmtpClientOptions(options);
    assertThat(copy.getMaxRate()).isEqualTo(5);
    assertThat(copy.getThrottlingRules()).isEqualTo(ThrottlingRules.none());
    assertThat(new SmtpClientOptions().getThrottlingRules()).isEqualTo(ThrottlingRules.defaults());
  }
}
