package io.migo.smtp.cli;

import io.migo.smtp.testkit.Maildir;
import io.migo.smtp.testkit.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --proxy} and the client-certificate flags against the real proxies (Dante, tinyproxy) and Postfix of
 * {@code scripts/test-servers.sh}: each message is found in the Maildir; a refused proxy login names the proxy and
 * never prints the password.
 */
class ProxyAndCertificatePostfixIT {

  private static TestServers servers;

  @TempDir
  Path dir;

  @BeforeAll
  static void require() {
    servers = TestServers.require();
  }

  private CliRun send(Map<String, String> env, String marker, String port, String tls, String... extra) {
    String[] base = {"send", "--host", servers.get("hostname"), "--port", servers.get(port), "--tls", tls,
      "--ca-cert", servers.get("ca.pem"), "--from", servers.user(), "--to", "rcpt@example.test",
      "--subject", "cli " + marker, "--text", "sent by the CLI"};
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return CliRun.run(env, InputStream.nullInputStream(), all);
  }

  private String socks5Url(String password) {
    return "socks5://" + servers.get("dante.user") + ":" + password + "@" + servers.get("host") + ":"
      + servers.get("dante.auth.port");
  }

  @Test
  void sendThroughSocks5WithALoginOverImplicitTls() {
    String marker = UUID.randomUUID().toString();
    CliRun run = send(Map.of("PW", servers.password()), marker, "postfix.smtps.port", "implicit",
      "--user", servers.user(), "--password-env", "PW", "--proxy", socks5Url(servers.get("dante.password")));

    assertThat(run.exitCode()).as("stdout: %s%nstderr: %s", run.out(), run.err()).isZero();
    Maildir.postfix(servers).awaitOne(marker);
    assertThat(run.out() + run.err()).doesNotContain(servers.get("dante.password"));
  }

  @Test
  void sendThroughHttpConnectWithThePasswordFromTheEnvironmentOverStartTls() {
    String marker = UUID.randomUUID().toString();
    String proxy = "http://" + servers.get("tinyproxy.user") + "@" + servers.get("host") + ":"
      + servers.get("tinyproxy.auth.port");
    CliRun run = send(Map.of("PW", servers.password(), "PROXY_PW", servers.get("tinyproxy.password")), marker,
      "postfix.submission.port", "starttls", "--user", servers.user(), "--password-env", "PW",
      "--proxy", proxy, "--proxy-password-env", "PROXY_PW");

    assertThat(run.exitCode()).as("stdout: %s%nstderr: %s", run.out(), run.err()).isZero();
    Maildir.postfix(servers).awaitOne(marker);
  }

  @Test
  void aRefusedProxyLoginNamesTheProxyAndHidesThePassword() {
    CliRun run = send(Map.of("PW", servers.password()), "x", "postfix.submission.port", "starttls",
      "--user", servers.user(), "--password-env", "PW", "--proxy", socks5Url("wrong-proxy-secret"));

    assertThat(run.exitCode()).as("stdout: %s%nstderr: %s", run.out(), run.err()).isEqualTo(1);
    assertThat(run.out() + run.err())
      .contains("SOCKS5 proxy " + servers.get("host") + ":" + servers.get("dante.auth.port") + " refused the login")
      .doesNotContain("wrong-proxy-secret");
  }

  @Test
  void sendWithAPemClientCertificateOverStartTls() {
    String marker = UUID.randomUUID().toString();
    CliRun run = send(Map.of(), marker, "postfix.client.cert.port", "starttls",
      "--client-cert", servers.get("client.cert.pem"), "--client-key", servers.get("client.key.pem"));

    assertThat(run.exitCode()).as("stdout: %s%nstderr: %s", run.out(), run.err()).isZero();
    assertThat(Maildir.postfix(servers).awaitOne(marker)).contains("(verified OK)");
  }

  @Test
  void sendWithAPkcs12ClientCertificateOverImplicitTlsThroughSocks4() {
    String marker = UUID.randomUUID().toString();
    CliRun run = send(Map.of("P12_PW", servers.get("client.p12.password")), marker,
      "postfix.client.cert.smtps.port", "implicit",
      "--client-keystore", servers.get("client.p12"), "--client-keystore-password-env", "P12_PW",
      "--proxy", "socks4://" + servers.get("host") + ":" + servers.get("dante.port"));

    assertThat(run.exitCode()).as("stdout: %s%nstderr: %s", run.out(), run.err()).isZero();
    assertThat(Maildir.postfix(servers).awaitOne(marker)).contains("(verified OK)");
  }

  @Test
  void bulkThroughSocks5WithoutALogin() throws IOException {
    String marker = UUID.randomUUID().toString();
    Path input = Files.writeString(dir.resolve("job.jsonl"), "{\"id\":\"1\",\"from\":\"" + servers.user()
      + "\",\"to\":[\"rcpt@example.test\"],\"subject\":\"bulk " + marker + "\",\"text\":\"x\"}\n");
    CliRun run = CliRun.run(Map.of("PW", servers.password()), InputStream.nullInputStream(), "bulk",
      "--host", servers.get("hostname"), "--port", servers.get("postfix.submission.port"), "--tls", "starttls",
      "--ca-cert", servers.get("ca.pem"), "--user", servers.user(), "--password-env", "PW",
      "--proxy", "socks5://" + servers.get("host") + ":" + servers.get("dante.port"),
      "--input", input.toString(), "--outcomes", dir.resolve("out.jsonl").toString());

    assertThat(run.exitCode()).as("stdout: %s%nstderr: %s", run.out(), run.err()).isZero();
    Maildir.postfix(servers).awaitOne(marker);
  }
}
