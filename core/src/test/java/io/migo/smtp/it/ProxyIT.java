package io.migo.smtp.it;

import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ClosedPort;
import io.migo.smtp.testkit.Maildir;
import io.migo.smtp.testkit.RealServerTestBase;
import io.migo.smtp.testkit.TestServers;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import io.vertx.ext.mail.MailMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through real proxies started by {@code scripts/test-servers.sh} (Dante for SOCKS5 with and without a login and for
 * SOCKS4, tinyproxy for HTTP CONNECT with and without BasicAuth) to the real Postfix, with STARTTLS and implicit TLS.
 * The proxy is reached at 127.0.0.1 and the relay by the name {@code localhost}; the certificate must be checked
 * against the relay's name: the proxy-check ports present a certificate for 127.0.0.1 only, the proxy's address,
 * which a client that checked the proxy instead of the relay would accept.
 */
class ProxyIT extends RealServerTestBase {

  /** The proxies under test, each with the properties that locate it and its log. */
  enum Proxy {
    SOCKS5(ProxyType.SOCKS5, "dante.port", null, "dante.log"),
    SOCKS5_LOGIN(ProxyType.SOCKS5, "dante.auth.port", "dante", "dante.auth.log"),
    SOCKS4(ProxyType.SOCKS4, "dante.port", null, "dante.log"),
    HTTP(ProxyType.HTTP, "tinyproxy.port", null, "tinyproxy.log"),
    HTTP_LOGIN(ProxyType.HTTP, "tinyproxy.auth.port", "tinyproxy", "tinyproxy.auth.log");

    final ProxyType type;
    final String portKey;
    final String loginPrefix;
    final String logKey;

    Proxy(ProxyType type, String portKey, String loginPrefix, String logKey) {
      this.type = type;
      this.portKey = portKey;
      this.loginPrefix = loginPrefix;
      this.logKey = logKey;
    }

    ProxyOptions options(TestServers servers) {
      ProxyOptions options = new ProxyOptions().setType(type).setHost(servers.get("host"))
        .setPort(servers.port(portKey));
      if (loginPrefix != null) {
        options.setUsername(servers.get(loginPrefix + ".user")).setPassword(servers.get(loginPrefix + ".password"));
      }
      return options;
    }
  }

  /** The relay by the name "localhost" (the certificate's name), with AUTH, through {@code proxy}. */
  private SmtpClientOptions relay(String portKey, TlsMode mode, ProxyOptions proxy) {
    return servers.verifiedOptions(servers.port(portKey)).setTlsMode(mode)
      .setCredentials(servers.user(), servers.password())
      .setProxyOptions(proxy);
  }

  private static String portKey(TlsMode mode) {
    return mode == TlsMode.IMPLICIT ? "postfix.smtps.port" : "postfix.submission.port";
  }

  private static String checkPortKey(TlsMode mode) {
    return mode == TlsMode.IMPLICIT ? "postfix.proxy.check.smtps.port" : "postfix.proxy.check.port";
  }

  static Stream<Arguments> proxiesAndModes() {
    List<Arguments> cases = new ArrayList<>();
    for (Proxy proxy : Proxy.values()) {
      for (TlsMode mode : List.of(TlsMode.STARTTLS_REQUIRED, TlsMode.IMPLICIT)) {
        cases.add(Arguments.of(proxy, mode));
      }
    }
    return cases.stream();
  }

  private SendResult sendMarked(SmtpClientOptions options, String marker) {
    MailMessage message = new MailMessage().setFrom(servers.user()).setTo("rcpt@example.test")
      .setSubject("through a proxy " + marker).setText("sent through a proxy");
    return Await.result(client(options).send(message));
  }

  @ParameterizedTest(name = "{1} through {0}")
  @MethodSource("proxiesAndModes")
  void deliversThroughTheProxyAndVerifiesTheRelaysName(Proxy proxy, TlsMode mode) {
    int relayPort = servers.port(portKey(mode));
    Maildir proxyLog = new Maildir(Path.of(servers.get("postfix.maildir")), Path.of(servers.get(proxy.logKey)));
    long logFrom = proxyLog.logPosition();
    String marker = UUID.randomUUID().toString();

    SendResult result = sendMarked(relay(portKey(mode), mode, proxy.options(servers)), marker);

    assertThat(result.acceptedRecipients()).containsExactly("rcpt@example.test");
    String delivered = Maildir.postfix(servers).awaitOne(marker);
    assertThat(delivered).contains("Message-ID: " + result.messageId());
    // The proxy, not a direct connection, carried it: the proxy logged a tunnel to the relay's port.
    proxyLog.awaitLogLine(logFrom, line -> line.contains(tunnelMark(proxy, relayPort)),
      proxy + " log line of a tunnel to port " + relayPort);
  }

  /** How each proxy's log names a tunnel it opened to {@code port}. */
  private static String tunnelMark(Proxy proxy, int port) {
    return proxy.type == ProxyType.HTTP ? "opening connection to localhost:" + port : "pass(1): tcp/connect [: ";
  }

  @ParameterizedTest(name = "{1} through {0}")
  @MethodSource("proxiesAndModes")
  void aCertificateForTheProxysAddressButNotTheRelaysNameIsRefused(Proxy proxy, TlsMode mode) {
    SmtpClientOptions options = relay(checkPortKey(mode), mode, proxy.options(servers));

    SmtpException e = (SmtpException) Await.failure(client(options).send(new MailMessage()
      .setFrom(servers.user()).setTo("rcpt@example.test").setSubject("x").setText("x")));

    assertThat(e.reason()).isEqualTo(Reason.TLS);
    assertThat(e.phase()).isEqualTo(mode == TlsMode.IMPLICIT ? SmtpPhase.CONNECT : SmtpPhase.TLS_HANDSHAKE);
    assertThat(e.getMessage()).contains("localhost");
  }

  @ParameterizedTest(name = "{1} through {0}")
  @MethodSource("proxiesAndModes")
  void theSameCertificateVerifiesWhenTheRelayIsNamedByThatAddress(Proxy proxy, TlsMode mode) {
    String marker = UUID.randomUUID().toString();
    SmtpClientOptions options = relay(checkPortKey(mode), mode, proxy.options(servers)).setHost(servers.get("host"));

    sendMarked(options, marker);

    Maildir.postfix(servers).awaitOne(marker);
  }

  @ParameterizedTest
  @EnumSource(value = Proxy.class, names = {"SOCKS5_LOGIN", "HTTP_LOGIN"})
  void aWrongProxyPasswordIsTheProxysRefusalInConnect(Proxy proxy) {
    ProxyOptions wrong = proxy.options(servers).setPassword("wrong-proxy-password");
    SmtpClientOptions options = relay(portKey(TlsMode.STARTTLS_REQUIRED), TlsMode.STARTTLS_REQUIRED, wrong);

    SmtpException e = (SmtpException) Await.failure(client(options).send(new MailMessage()
      .setFrom(servers.user()).setTo("rcpt@example.test").setSubject("x").setText("x")));

    assertThat(e.phase()).isEqualTo(SmtpPhase.CONNECT);
    assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(e.getMessage())
      .contains(proxyName(proxy) + " refused the login of proxy user '" + wrong.getUsername() + "'")
      .contains("relay localhost:" + servers.port(portKey(TlsMode.STARTTLS_REQUIRED)) + " was not reached")
      .doesNotContain("wrong-proxy-password");
  }

  @ParameterizedTest
  @EnumSource(value = Proxy.class, names = {"SOCKS5_LOGIN", "HTTP_LOGIN"})
  void noLoginForAProxyThatRequiresOneSaysSo(Proxy proxy) {
    ProxyOptions anonymous = proxy.options(servers).setUsername(null).setPassword(null);
    SmtpClientOptions options = relay(portKey(TlsMode.STARTTLS_REQUIRED), TlsMode.STARTTLS_REQUIRED, anonymous);

    SmtpException e = (SmtpException) Await.failure(client(options).send(new MailMessage()
      .setFrom(servers.user()).setTo("rcpt@example.test").setSubject("x").setText("x")));

    assertThat(e.phase()).isEqualTo(SmtpPhase.CONNECT);
    assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(e.getMessage()).contains(proxyName(proxy) + " requires a login");
  }

  @ParameterizedTest
  @EnumSource(Proxy.class)
  void aRelayTheProxyCannotReachIsTheProxysReportInConnect(Proxy proxy) {
    int unreachable = servers.port("proxy.unreachable.port");
    SmtpClientOptions options = relay(portKey(TlsMode.STARTTLS_REQUIRED), TlsMode.STARTTLS_REQUIRED,
      proxy.options(servers)).setPort(unreachable);

    SmtpException e = (SmtpException) Await.failure(client(options).send(new MailMessage()
      .setFrom(servers.user()).setTo("rcpt@example.test").setSubject("x").setText("x")));

    assertThat(e.phase()).isEqualTo(SmtpPhase.CONNECT);
    assertThat(e.reason()).isEqualTo(Reason.CONNECTION);
    assertThat(e.getMessage())
      .contains(proxyName(proxy) + " could not open a connection to the relay localhost:" + unreachable);
  }

  @Test
  void aProxyThatCannotBeReachedIsNamed() throws Exception {
    try (ClosedPort closed = new ClosedPort()) {
      ProxyOptions proxy = new ProxyOptions().setType(ProxyType.SOCKS5).setHost("127.0.0.1").setPort(closed.port());
      SmtpClientOptions options = relay(portKey(TlsMode.STARTTLS_REQUIRED), TlsMode.STARTTLS_REQUIRED, proxy);

      SmtpException e = (SmtpException) Await.failure(client(options).send(new MailMessage()
        .setFrom(servers.user()).setTo("rcpt@example.test").setSubject("x").setText("x")));

      assertThat(e.phase()).isEqualTo(SmtpPhase.CONNECT);
      assertThat(e.reason()).isEqualTo(Reason.CONNECTION);
      assertThat(e.getMessage()).contains("cannot connect to the SOCKS5 proxy 127.0.0.1:" + closed.port());
    }
  }

  private String proxyName(Proxy proxy) {
    String type = proxy.type == ProxyType.HTTP ? "HTTP CONNECT" : proxy.type.name();
    return type + " proxy " + servers.get("host") + ":" + servers.port(proxy.portKey);
  }
}
