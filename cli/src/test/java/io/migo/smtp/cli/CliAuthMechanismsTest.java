package io.migo.smtp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.SmtpClientOptions;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Which mechanisms {@code --auth}, {@code --password} and {@code --oauth-token-env} hand to the client. */
class CliAuthMechanismsTest {

  private static SmtpClientOptions optionsOf(String... args) {
    Map<String, String> env = Map.of("TOKEN", "ya29.token", "PW", "secret");
    SendCommand command = new SendCommand(env::get);
    new CommandLine(command).parseArgs(args);
    return command.clientOptions();
  }

  @Test
  void aPasswordUsesTheDefaultsWithScram() {
    SmtpClientOptions options = optionsOf("--from", "a@example.com", "--to", "b@example.com", "--user", "u",
      "--password-env", "PW");
    assertThat(options.getAuthMechanisms()).isEqualTo(SmtpClientOptions.DEFAULT_AUTH_MECHANISMS)
      .contains(AuthMechanism.SCRAM_SHA_256, AuthMechanism.SCRAM_SHA_1);
  }

  @Test
  void authScramNamesOneMechanism() {
    assertThat(optionsOf("--from", "a@example.com", "--to", "b@example.com", "--user", "u", "--password-env", "PW",
      "--auth", "SCRAM-SHA-256").getAuthMechanisms()).containsExactly(AuthMechanism.SCRAM_SHA_256);
    assertThat(optionsOf("--from", "a@example.com", "--to", "b@example.com", "--user", "u", "--password-env", "PW",
      "--auth", "scram-sha-1").getAuthMechanisms()).containsExactly(AuthMechanism.SCRAM_SHA_1);
  }

  @Test
  void aTokenAllowsOauthbearerAndXoauth2() {
    SmtpClientOptions options = optionsOf("--from", "a@example.com", "--to", "b@example.com", "--user", "u",
      "--oauth-token-env", "TOKEN");
    assertThat(options.getAuthMechanisms()).isEqualTo(Set.of(AuthMechanism.OAUTHBEARER, AuthMechanism.XOAUTH2));
  }

  @Test
  void aTokenWithAuthOauthbearerUsesOnlyIt() {
    SmtpClientOptions options = optionsOf("--from", "a@example.com", "--to", "b@example.com", "--user", "u",
      "--oauth-token-env", "TOKEN", "--auth", "OAUTHBEARER");
    assertThat(options.getAuthMechanisms()).containsExactly(AuthMechanism.OAUTHBEARER);
  }
}
