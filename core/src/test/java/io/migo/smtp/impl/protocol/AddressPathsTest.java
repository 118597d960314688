package io.migo.smtp.impl.protocol;

import static io.migo.smtp.impl.protocol.CommandsTest.assertInvalid;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migo.smtp.DsnOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.impl.MailMessages;
import io.vertx.ext.mail.MailMessage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way an address enters the client (Envelope, a MailMessage's headers, the command builder) is refused by the
 * same validator, with a message that names the field, says what is wrong and shows the address.
 */
class AddressPathsTest {

  @Test
  void envelopeOfRefusesARecipientWithTwoAts() {
    assertThatThrownBy(() -> Envelope.of("alice@example.test", "bob@@x"))
        .isInstanceOfSatisfying(SmtpException.class, e -> {
          assertThat(e.phase()).isEqualTo(SmtpPhase.INPUT);
          assertThat(e.reason()).isEqualTo(SmtpException.Reason.INVALID_INPUT);
          assertThat(e.getMessage()).isEqualTo("INPUT: recipient has two '@' (an '@' in the local part must be "
              + "quoted, as in \"a@b\"@example.com): bob@@x");
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"bob@@x", "alice", "@x", "bob@", "bob.@x", "b..ob@x", "bob@-x.test", "bob@[300.1.1.1]",
      "bob smith@example.test"})
  void envelopeRefusesWhatTheValidatorRefuses(String bad) {
    assertInvalid(() -> Envelope.of("alice@example.test", bad), "recipient ");
    assertInvalid(() -> Envelope.of(bad, "alice@example.test"), "sender ");
    assertInvalid(() -> new Envelope("alice@example.test", List.of("ok@example.test", bad)), ": " + bad);
  }

  @Test
  void envelopeAcceptsWhatTheValidatorAccepts() {
    Envelope envelope = Envelope.of("\"bob smith\"@example.test", "postmaster", "jörg@bücher.example",
        "bob@[IPv6:::1]", "Bob+tag@sub.example.test");
    assertThat(envelope.recipients()).hasSize(4);
    assertThat(Envelope.of(null, "b@example.test").sender()).isEmpty();
    assertThat(Envelope.of("", "b@example.test").sender()).isEmpty();
  }

  @Test
  void envelopeRefusesPostmasterAsSenderAndNullRecipients() {
    assertInvalid(() -> Envelope.of("postmaster", "b@example.test"), "sender is not of the form local@domain");
    assertInvalid(() -> new Envelope("a@example.test", Arrays.asList("b@example.test", null)), "recipient is empty");
  }

  @Test
  void aQuotedSpaceStaysInsideTheAngleBrackets() {
    assertThat(Commands.mail("\"bob smith\"@example.test").line().toString(UTF_8))
        .isEqualTo("MAIL FROM:<\"bob smith\"@example.test>\r\n");
    assertThat(Commands.rcpt("\"bob smith\"@example.test", "NOTIFY=NEVER").line().toString(UTF_8))
        .isEqualTo("RCPT TO:<\"bob smith\"@example.test> NOTIFY=NEVER\r\n");
  }

  @Test
  void commandsRefuseWhatTheValidatorRefuses() {
    assertInvalid(() -> Commands.rcpt("bob@@x"), "RCPT forward-path has two '@'");
    assertInvalid(() -> Commands.mail("bob@@x"), "MAIL reverse-path has two '@'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bob@@x", "Bob <bob@@x>", "bob@@x (Bob)"})
  void aMailMessageRecipientIsCheckedTheSameWay(String to) {
    MailMessage message = new MailMessage().setFrom("alice@example.test").setTo(to).setText("x");
    assertInvalid(() -> MailMessages.toOutgoing(message, "localhost", DsnOptions.none()),
        "To address has two '@' (an '@' in the local part must be quoted, as in \"a@b\"@example.com): bob@@x");
  }

  @Test
  void everyHeaderOfAMailMessageIsNamed() {
    assertInvalid(() -> MailMessages.toOutgoing(new MailMessage().setFrom("Alice <alice@x..test>")
        .setTo("b@example.test"), "localhost", DsnOptions.none()), "From address has two dots in a row in its domain");
    assertInvalid(() -> MailMessages.toOutgoing(new MailMessage().setFrom("a@example.test").setBounceAddress("b@")
        .setTo("b@example.test"), "localhost", DsnOptions.none()), "bounce address has an empty domain");
    assertInvalid(() -> MailMessages.toOutgoing(new MailMessage().setFrom("a@example.test").setTo("b@example.test")
        .setCc("c.@example.test"), "localhost", DsnOptions.none()), "Cc address has a local part ending with '.'");
    assertInvalid(() -> MailMessages.toOutgoing(new MailMessage().setFrom("a@example.test").setTo("b@example.test")
        .setBcc("d@-x.test"), "localhost", DsnOptions.none()), "Bcc address has a domain label starting with '-'");
    assertInvalid(() -> MailMessages.toOutgoing(new MailMessage().setFrom("a@example.test").setTo("alice"),
        "localhost", DsnOptions.none()), "To address is not of the form local@domain (it has no '@'): alice");
    assertInvalid(() -> MailMessages.toOutgoing(new MailMessage().setFrom("a@example.test").setTo("Al <alice>"),
        "localhost", DsnOptions.none()), "To address is not an address the MIME encoder can take");
  }

  /** A limit of vertx-mail-client's parser, said as such: the address itself is valid (see Envelope above). */
  @Test
  void aQuotedSpaceInAMailMessageIsRefusedAsTheEncodersLimit() {
    assertInvalid(() -> MailMessages.toOutgoing(new MailMessage().setFrom("a@example.test")
        .setTo("\"bob smith\"@example.test"), "localhost", DsnOptions.none()),
        "To address is not an address the MIME encoder can take (a@b, Name <a@b> or a@b (Name), no whitespace");
  }

  @Test
  void aValidMailMessageGoesThrough() {
    MailMessage message = new MailMessage().setFrom("Alice <alice@example.test>")
        .setTo(List.of("Bob <Bob+tag@sub.example.test>", "carol@[127.0.0.1]")).setText("x");
    assertThat(MailMessages.toOutgoing(message, "localhost", DsnOptions.none()).envelope().recipients())
        .containsExactly("Bob+tag@sub.example.test", "carol@[127.0.0.1]");
  }
}
