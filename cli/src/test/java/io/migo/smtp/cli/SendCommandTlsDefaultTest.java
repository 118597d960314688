package io.migo.smtp.cli;

import io.migo.smtp.TlsMode;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** Port 465 means implicit TLS unless the user says otherwise (RFC 8314); any other port, STARTTLS. */
class SendCommandTlsDefaultTest {

  private static TlsMode tlsModeOf(String... args) {
    SendCommand command = new SendCommand(System::getenv);
    new CommandLine(command).parseArgs(args);
    return command.clientOptions().getTlsMode();
  }

  @Test
  void port465WithoutTlsIsImplicit() {
    assertThat(tlsModeOf("--from", "a@example.com", "--to", "b@example.com", "--port", "465"))
      .isEqualTo(TlsMode.IMPLICIT);
  }

  @Test
  void anExplicitModeWinsOnPort465() {
    assertThat(tlsModeOf("--from", "a@example.com", "--to", "b@example.com", "--port", "465", "--tls", "starttls"))
      .isEqualTo(TlsMode.STARTTLS_REQUIRED);
  }

  @Test
  void otherPortsDefaultToStartTls() {
    assertThat(tlsModeOf("--from", "a@example.com", "--to", "b@example.com", "--port", "10587"))
      .isEqualTo(TlsMode.STARTTLS_REQUIRED);
  }
}
