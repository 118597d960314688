package io.migo.smtp.impl.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import io.vertx.core.buffer.Buffer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandsTest {

  private static String wire(SmtpCommand command) {
    return command.line().toString(UTF_8);
  }

  @Test
  void exactWireBytes() {
    assertThat(wire(Commands.ehlo("client.example.com"))).isEqualTo("EHLO client.example.com\r\n");
    assertThat(wire(Commands.ehlo("[192.0.2.1]"))).isEqualTo("EHLO [192.0.2.1]\r\n");
    assertThat(wire(Commands.helo("client.example.com"))).isEqualTo("HELO client.example.com\r\n");
    assertThat(wire(Commands.startTls())).isEqualTo("STARTTLS\r\n");
    assertThat(wire(Commands.auth("LOGIN", null))).isEqualTo("AUTH LOGIN\r\n");
    assertThat(wire(Commands.auth("PLAIN", "AHVzZXIAcGFzcw=="))).isEqualTo("AUTH PLAIN AHVzZXIAcGFzcw==\r\n");
    assertThat(wire(Commands.auth("PLAIN", "="))).isEqualTo("AUTH PLAIN =\r\n");
    assertThat(wire(Commands.authContinuation("dXNlcg=="))).isEqualTo("dXNlcg==\r\n");
    assertThat(wire(Commands.authContinuation(""))).isEqualTo("\r\n");
    assertThat(wire(Commands.authContinuation("*"))).isEqualTo("*\r\n");
    assertThat(wire(Commands.mail("a@example.com"))).isEqualTo("MAIL FROM:<a@example.com>\r\n");
    assertThat(wire(Commands.mail("a@example.com", "SIZE=1234", "BODY=8BITMIME")))
        .isEqualTo("MAIL FROM:<a@example.com> SIZE=1234 BODY=8BITMIME\r\n");
    assertThat(wire(Commands.mail(null))).isEqualTo("MAIL FROM:<>\r\n");
    assertThat(wire(Commands.mail(""))).isEqualTo("MAIL FROM:<>\r\n");
    assertThat(wire(Commands.mail("", "SIZE=10"))).isEqualTo("MAIL FROM:<> SIZE=10\r\n");
    assertThat(wire(Commands.rcpt("b@example.org"))).isEqualTo("RCPT TO:<b@example.org>\r\n");
    assertThat(wire(Commands.rcpt("b@example.org", "NOTIFY=FAILURE", "ORCPT=rfc822;b@example.org")))
        .isEqualTo("RCPT TO:<b@example.org> NOTIFY=FAILURE ORCPT=rfc822;b@example.org\r\n");
    assertThat(wire(Commands.rcpt("postmaster"))).isEqualTo("RCPT TO:<postmaster>\r\n");
    assertThat(wire(Commands.data())).isEqualTo("DATA\r\n");
    assertThat(wire(Commands.bdat(1234, true))).isEqualTo("BDAT 1234 LAST\r\n");
    assertThat(wire(Commands.bdat(65536, false))).isEqualTo("BDAT 65536\r\n");
    assertThat(wire(Commands.bdat(0, true))).isEqualTo("BDAT 0 LAST\r\n");
    assertThat(wire(Commands.rset())).isEqualTo("RSET\r\n");
    assertThat(wire(Commands.quit())).isEqualTo("QUIT\r\n");
  }

  @Test
  void utf8AddressesAreEncodedAsUtf8() {
    Buffer line = Commands.rcpt("用户@例子.广告", "SMTPUTF8").line();
    assertThat(line.getBytes()).isEqualTo("RCPT TO:<用户@例子.广告> SMTPUTF8\r\n".getBytes(UTF_8));
  }

  @Test
  void phases() {
    assertThat(Commands.ehlo("x").phase()).isEqualTo(SmtpPhase.EHLO);
    assertThat(Commands.helo("x").phase()).isEqualTo(SmtpPhase.HELO);
    assertThat(Commands.startTls().phase()).isEqualTo(SmtpPhase.STARTTLS);
    assertThat(Commands.auth("LOGIN", null).phase()).isEqualTo(SmtpPhase.AUTH);
    assertThat(Commands.authContinuation("").phase()).isEqualTo(SmtpPhase.AUTH);
    assertThat(Commands.mail(null).phase()).isEqualTo(SmtpPhase.MAIL);
    assertThat(Commands.rcpt("a@b").phase()).isEqualTo(SmtpPhase.RCPT);
    assertThat(Commands.data().phase()).isEqualTo(SmtpPhase.DATA);
    assertThat(Commands.bdat(1, true).phase()).isEqualTo(SmtpPhase.BDAT);
    assertThat(Commands.rset().phase()).isEqualTo(SmtpPhase.RSET);
    assertThat(Commands.quit().phase()).isEqualTo(SmtpPhase.QUIT);
  }

  @Test
  void sensitiveCommandsHideTheCredential() {
    SmtpCommand plain = Commands.auth("PLAIN", "AHVzZXIAcGFzcw==");
    assertThat(plain).hasToString("AUTH PLAIN ***");
    assertThat(wire(plain)).isEqualTo("AUTH PLAIN AHVzZXIAcGFzcw==\r\n");
    SmtpCommand login = Commands.auth("LOGIN", null);
    assertThat(login).hasToString("AUTH LOGIN");
    SmtpCommand continuation = Commands.authContinuation("cGFzc3dvcmQ=");
    assertThat(continuation).hasToString("***");
    assertThat(wire(continuation)).isEqualTo("cGFzc3dvcmQ=\r\n");
    assertThat(Commands.authContinuation("")).as("even an empty continuation is masked").hasToString("***");
  }

  @Test
  void toStringIsTheLineWithoutCrlf() {
    assertThat(Commands.mail("a@example.com", "SIZE=1")).hasToString("MAIL FROM:<a@example.com> SIZE=1");
    assertThat(Commands.quit()).hasToString("QUIT");
  }

  @Test
  void sharedConstantsCannotBeCorruptedThroughTheirBuffer() {
    Buffer handedOut = Commands.data().line();
    handedOut.setByte(0, (byte) 'X').appendString("RCPT TO:<evil@example.com>\r\n");
    assertThat(wire(Commands.data())).isEqualTo("DATA\r\n");
    assertThat(Commands.data()).isSameAs(Commands.data());
  }

  // ------------------------------------------------------------------ injection

  static Stream<Arguments> injectionTargets() {
    return Stream.of(
        target("EHLO domain", v -> Commands.ehlo("client" + v + ".example.com")),
        target("HELO domain", v -> Commands.helo("client" + v + ".example.com")),
        target("AUTH mechanism", v -> Commands.auth("PLAIN" + v, null)),
        target("AUTH initial response", v -> Commands.auth("PLAIN", "AHVz" + v + "ZXI=")),
        target("AUTH continuation", v -> Commands.authContinuation("dXNl" + v + "cg==")),
        target("MAIL reverse-path", v -> Commands.mail("a" + v + "@example.com")),
        target("MAIL parameter 2", v -> Commands.mail("a@example.com", "SIZE=1", "BODY=8BIT" + v + "MIME")),
        target("RCPT forward-path", v -> Commands.rcpt("b@example" + v + ".org")),
        target("RCPT parameter 1", v -> Commands.rcpt("b@example.org", "NOTIFY=" + v)));
  }

  private static Arguments target(String field, Function<String, SmtpCommand> factory) {
    return Arguments.of(field, factory);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("injectionTargets")
  void rejectsControlCharacters(String field, Function<String, SmtpCommand> factory) {
    for (String bad : new String[] {"\r", "\n", "\r\n", "\0", "\r\nRCPT TO:<evil@example.com>\r\n", "\u007f"}) {
      assertThatThrownBy(() -> factory.apply(bad))
          .as("%s with %s", field, bad.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0"))
          .isInstanceOfSatisfying(SmtpException.class, e -> {
            assertThat(e.phase()).isEqualTo(SmtpPhase.INPUT);
            assertThat(e.reason()).isEqualTo(SmtpException.Reason.INVALID_INPUT);
            assertThat(e.getMessage()).contains(field).contains("control character")
                .doesNotContain("\r").doesNotContain("\n").doesNotContain("\0").doesNotContain("evil");
          });
    }
  }

  @Test
  void credentialIsNeverEchoedInErrors() {
    assertInvalid(() -> Commands.auth("PLAIN", "c2VjcmV0 secret"), "AUTH initial response is not base64");
    assertThatThrownBy(() -> Commands.authContinuation("secret!"))
        .hasMessageNotContaining("secret!");
  }

  @Test
  void rejectsOtherInvalidArguments() {
    assertInvalid(() -> Commands.ehlo("my_host"), "EHLO domain is neither a domain name nor an address literal");
    assertInvalid(() -> Commands.ehlo(""), "EHLO domain is empty");
    assertInvalid(() -> Commands.ehlo(null), "EHLO domain is empty");
    assertInvalid(() -> Commands.helo("a b"), "HELO domain is neither");
    assertInvalid(() -> Commands.auth("", null), "AUTH mechanism is empty");
    assertInvalid(() -> Commands.auth("PLAIN LOGIN", null), "AUTH mechanism is not a SASL mechanism name");
    assertInvalid(() -> Commands.auth("X".repeat(21), null), "AUTH mechanism is not a SASL mechanism name");
    assertInvalid(() -> Commands.auth("PLAIN", ""), "AUTH initial response is empty");
    assertInvalid(() -> Commands.authContinuation(null), "AUTH continuation is null");
    assertInvalid(() -> Commands.mail("a@example.com", "SIZE=1 BODY=8BITMIME"), "MAIL parameter 1 contains a space");
    assertInvalid(() -> Commands.mail("a@example.com", ""), "MAIL parameter 1 is empty");
    assertInvalid(() -> Commands.mail("a@example.com", (String) null), "MAIL parameter 1 is empty");
    assertInvalid(() -> Commands.mail("<a@example.com>"), "MAIL reverse-path must be a bare address");
    assertInvalid(() -> Commands.mail("postmaster"), "MAIL reverse-path is not of the form local@domain");
    assertInvalid(() -> Commands.rcpt(null), "RCPT forward-path is empty");
    assertInvalid(() -> Commands.rcpt(""), "RCPT forward-path is empty");
    assertInvalid(() -> Commands.rcpt("b@example.org>  NOTIFY=NEVER"), "RCPT forward-path must be a bare address");
    assertInvalid(() -> Commands.bdat(-1, true), "BDAT size is negative");
  }

  static void assertInvalid(ThrowingCallable call, String messagePart) {
    assertThatThrownBy(call).isInstanceOfSatisfying(SmtpException.class, e -> {
      assertThat(e.phase()).isEqualTo(SmtpPhase.INPUT);
      assertThat(e.reason()).isEqualTo(SmtpException.Reason.INVALID_INPUT);
      assertThat(e.getMessage()).contains(messagePart);
    });
  }
}
