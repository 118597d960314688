package io.migo.smtp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --dkim-*} mistakes are usage errors (exit 2) before any connection, naming what to fix. */
class DkimArgumentsTest {

  @TempDir
  Path dir;

  private static CliRun send(String... dkim) {
    String[] args = new String[7 + dkim.length];
    String[] base = {"send", "--host", "localhost", "--port", "1", "--from", "a@example.test"};
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(dkim, 0, args, base.length, dkim.length);
    String[] withTo = new String[args.length + 2];
    System.arraycopy(args, 0, withTo, 0, args.length);
    withTo[args.length] = "--to";
    withTo[args.length + 1] = "b@example.test";
    return CliRun.run(withTo);
  }

  @Test
  void theThreeOptionsGoTogether() {
    CliRun run = send("--dkim-domain", "example.test");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("needs --dkim-key, --dkim-domain and --dkim-selector together")
      .contains("missing: --dkim-key --dkim-selector");
  }

  @Test
  void aKeyOfTheWrongTypeOrABadFileIsRefused() throws Exception {
    Path ed = Files.writeString(dir.resolve("ed.pem"), "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder()
      .encodeToString(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded())
      + "\n-----END PRIVATE KEY-----\n");
    CliRun wrongType = send("--dkim-key", ed.toString(), "--dkim-domain", "example.test", "--dkim-selector", "s",
      "--dkim-algorithm", "rsa-sha256");
    assertThat(wrongType.exitCode()).isEqualTo(2);
    assertThat(wrongType.err()).contains("rsa-sha256 needs an RSA key");

    CliRun missing = send("--dkim-key", dir.resolve("nope.pem").toString(), "--dkim-domain", "example.test",
      "--dkim-selector", "s");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("cannot read the DKIM key file");

    CliRun algorithm = send("--dkim-key", ed.toString(), "--dkim-domain", "example.test", "--dkim-selector", "s",
      "--dkim-algorithm", "rsa-sha1");
    assertThat(algorithm.exitCode()).isEqualTo(2);
    assertThat(algorithm.err()).contains("expected rsa-sha256 or ed25519-sha256");
  }
}
