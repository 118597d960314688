package io.migo.smtp.cli;

import io.migo.smtp.SmtpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.ProxyType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --proxy} and the client-certificate options on {@code send} and {@code bulk}: bad combinations end with exit
 * status 2 before any connection, and no secret is ever printed.
 */
class ProxyAndCertificateArgumentsTest {

  private static final String[] TARGET = {"--host", "127.0.0.1", "--port", "1", "--tls", "none",
    "--from", "a@example.com", "--to", "b@example.com"};

  private static CliRun send(Map<String, String> env, String... args) {
    String[] all = new String[args.length + TARGET.length + 1];
    all[0] = "send";
    System.arraycopy(TARGET, 0, all, 1, TARGET.length);
    System.arraycopy(args, 0, all, 1 + TARGET.length, args.length);
    return CliRun.run(env, all);
  }

  private static void assertUsageError(CliRun run, String... fragments) {
    assertThat(run.exitCode()).as("stderr: %s", run.err()).isEqualTo(2);
    assertThat(run.err()).contains(fragments);
  }

  @Test
  void aMalformedProxyUrlIsAUsageErrorWithoutThePassword() {
    CliRun run = send(Map.of(), "--proxy", "socks5://bob:hunter2@proxy");
    assertUsageError(run, "Invalid value for option '--proxy'", "socks5://[user:password@]host:port",
      "socks5://bob:***@proxy");
    assertThat(run.err()).doesNotContain("hunter2");
  }

  @Test
  void bulkHasTheSameProxyOption() {
    CliRun run = CliRun.run("bulk", "--input", "-", "--proxy", "ftp://proxy:21");
    assertUsageError(run, "Invalid value for option '--proxy'", "the scheme must be socks5, socks4 or http");
  }

  @Test
  void aProxyUserWithoutAPasswordNeedsTheEnvironmentVariable() {
    assertUsageError(send(Map.of(), "--proxy", "socks5://bob@proxy:1080"),
      "--proxy names the user bob but no password");
    assertUsageError(send(Map.of(), "--proxy-password-env", "P"), "--proxy-password-env needs --proxy");
    CliRun unset = send(Map.of(), "--proxy", "http://bob@proxy:3128", "--proxy-password-env", "NOT_SET");
    assertUsageError(unset, "--proxy-password-env: environment variable NOT_SET is not set");
  }

  @Test
  void theProxyUrlBecomesProxyOptionsWithThePasswordFromTheEnvironment() {
    SendCommand command = parse(Map.of("PROXY_PW", "from-env"), "--proxy", "http://bob@127.0.0.1:3128",
      "--proxy-password-env", "PROXY_PW");
    SmtpClientOptions options = command.clientOptions();
    assertThat(options.getProxyOptions().getType()).isEqualTo(ProxyType.HTTP);
    assertThat(options.getProxyOptions().getUsername()).isEqualTo("bob");
    assertThat(options.getProxyOptions().getPassword()).isEqualTo("from-env");
  }

  @Test
  void clientCertificateCombinations(@TempDir Path dir) throws IOException {
    Path cert = Files.writeString(dir.resolve("c.pem"), "x");
    Path key = Files.writeString(dir.resolve("c.key"), "x");
    Path p12 = Files.writeString(dir.resolve("c.p12"), "x");
    assertUsageError(send(Map.of(), "--client-cert", cert.toString()), "--client-cert needs --client-key");
    assertUsageError(send(Map.of(), "--client-key", key.toString()), "--client-key needs --client-cert");
    assertUsageError(send(Map.of(), "--client-keystore", p12.toString(), "--client-cert", cert.toString(),
      "--client-key", key.toString()), "--client-keystore cannot be combined with --client-cert/--client-key");
    assertUsageError(send(Map.of(), "--client-keystore-password", "pw"),
      "--client-keystore-password and --client-keystore-password-env need --client-keystore");
    assertUsageError(send(Map.of(), "--client-cert", dir.resolve("missing.pem").toString(), "--client-key",
      key.toString()), "client certificate file is not readable: ");
    CliRun both = send(Map.of(), "--client-keystore", p12.toString(), "--client-keystore-password", "hunter2",
      "--client-keystore-password-env", "X");
    assertUsageError(both, "mutually exclusive");
    assertThat(both.err()).doesNotContain("hunter2");
  }

  @Test
  void clientCertificateOptionsBecomeKeyCertOptions(@TempDir Path dir) throws IOException {
    Path cert = Files.writeString(dir.resolve("c.pem"), "x");
    Path key = Files.writeString(dir.resolve("c.key"), "x");
    Path p12 = Files.writeString(dir.resolve("c.p12"), "x");

    SmtpClientOptions pem = parse(Map.of(), "--client-cert", cert.toString(), "--client-key", key.toString())
      .clientOptions();
    assertThat(pem.getKeyCertOptions()).isInstanceOfSatisfying(PemKeyCertOptions.class, o -> {
      assertThat(o.getCertPaths()).containsExactly(cert.toString());
      assertThat(o.getKeyPaths()).containsExactly(key.toString());
    });

    SmtpClientOptions pkcs12 = parse(Map.of("P12_PW", "pw-from-env"), "--client-keystore", p12.toString(),
      "--client-keystore-password-env", "P12_PW").clientOptions();
    assertThat(pkcs12.getKeyCertOptions()).isInstanceOfSatisfying(PfxOptions.class, o -> {
      assertThat(o.getPath()).isEqualTo(p12.toString());
      assertThat(o.getPassword()).isEqualTo("pw-from-env");
    });
  }

  /** The send command as picocli fills it in, without running it. */
  private static SendCommand parse(Map<String, String> env, String... args) {
    CommandLine cli = MigoSmtpCli.newCommandLine(env::get, java.io.InputStream::nullInputStream);
    String[] all = new String[args.length + TARGET.length + 1];
    all[0] = "send";
    System.arraycopy(TARGET, 0, all, 1, TARGET.length);
    System.arraycopy(args, 0, all, 1 + TARGET.length, args.length);
    cli.parseArgs(all);
    SendCommand command = cli.getSubcommands().get("send").getCommand();
    command.relay.check();
    return command;
  }
}
