package io.migo.smtp.cli;

import io.migo.smtp.MailProtocol;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.TlsMode;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --protocol smtp|lmtp} and {@code --socket PATH}, on send and bulk (one mixin). */
class LmtpArgumentsTest {

  private static SmtpClientOptions sendOptions(String... args) {
    SendCommand command = new SendCommand(System::getenv);
    new CommandLine(command).parseArgs(args);
    return command.clientOptions();
  }

  @Test
  void smtpByDefaultLmtpWhenAsked() {
    assertThat(sendOptions("--from", "a@example.com", "--to", "b@example.com").getProtocol())
      .isEqualTo(MailProtocol.SMTP);
    SmtpClientOptions lmtp = sendOptions("--from", "a@example.com", "--to", "b@example.com", "--protocol", "lmtp");
    assertThat(lmtp.getProtocol()).isEqualTo(MailProtocol.LMTP);
    assertThat(lmtp.getPort()).isEqualTo(24);
  }

  @Test
  void theSocketIsTheRelayAndTakesNoTlsByDefault() {
    SmtpClientOptions options = sendOptions("--from", "a@example.com", "--to", "b@example.com", "--protocol", "lmtp",
      "--socket", "/run/dovecot/lmtp");
    assertThat(options.getUnixSocket()).isEqualTo("/run/dovecot/lmtp");
    assertThat(options.getTlsMode()).isEqualTo(TlsMode.NONE);
  }

  @Test
  void onlyTheExactProtocolNamesAreAccepted() {
    CliRun run = CliRun.run("send", "--from", "a@example.com", "--to", "b@example.com", "--protocol", "LMTP");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Invalid value for option '--protocol'", "expected smtp or lmtp but was 'LMTP'");
  }

  @Test
  void aSocketWithAPortOrAHostIsAUsageError() {
    CliRun withPort = CliRun.run("send", "--from", "a@example.com", "--to", "b@example.com", "--socket", "/s",
      "--port", "24");
    assertThat(withPort.exitCode()).isEqualTo(2);
    assertThat(withPort.err()).contains("--socket cannot be combined with --host or --port");
    CliRun withHost = CliRun.run("bulk", "--input", "in.jsonl", "--socket", "/s", "--host", "mx.example");
    assertThat(withHost.exitCode()).isEqualTo(2);
    assertThat(withHost.err()).contains("--socket cannot be combined with --host or --port");
  }

  @Test
  void theHelpNamesBothOptions() {
    CliRun run = CliRun.run("send", "--help");
    assertThat(run.out()).contains("--protocol=PROTOCOL", "smtp, lmtp", "--socket=PATH");
  }
}
