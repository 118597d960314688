package io.migo.smtp.cli;

import io.migo.smtp.TlsEngine;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --tls-engine}: auto (the library's default), jdk or openssl, case-insensitive. */
class SendCommandTlsEngineTest {

  private static TlsEngine engineOf(String... args) {
    SendCommand command = new SendCommand(System::getenv);
    new CommandLine(command).parseArgs(args);
    return command.clientOptions().getTlsEngine();
  }

  @Test
  void defaultIsAuto() {
    assertThat(engineOf("--from", "a@example.com", "--to", "b@example.com")).isEqualTo(TlsEngine.AUTO);
  }

  @Test
  void namesAreCaseInsensitive() {
    assertThat(engineOf("--from", "a@example.com", "--to", "b@example.com", "--tls-engine", "jdk"))
      .isEqualTo(TlsEngine.JDK);
    assertThat(engineOf("--from", "a@example.com", "--to", "b@example.com", "--tls-engine", "OpenSSL"))
      .isEqualTo(TlsEngine.OPENSSL);
  }

  @Test
  void anUnknownEngineIsAUsageError() {
    assertThatThrownBy(() -> engineOf("--from", "a@example.com", "--to", "b@example.com", "--tls-engine", "gnutls"))
      .isInstanceOf(CommandLine.ParameterException.class)
      .hasMessageContaining("expected auto, jdk or openssl");
  }
}
