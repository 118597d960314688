package io.migo.smtp.impl.session;

import io.migo.smtp.RelayAddress;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.impl.session.ProxyFailures.Kind;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.proxy.HttpProxyHandler.HttpProxyConnectException;
import io.netty.handler.proxy.ProxyConnectException;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

/** The proxy answers as Netty's proxy handlers report them (the messages are Netty's own format). */
class ProxyFailuresTest {

  private static final RelayAddress RELAY = new RelayAddress("smtp.example.test", 587);
  private static final ProxyOptions SOCKS5 = new ProxyOptions().setType(ProxyType.SOCKS5).setHost("proxy.test")
    .setPort(1080).setUsername("bob").setPassword("s3cret-proxy-pass");
  private static final ProxyOptions HTTP = new ProxyOptions().setType(ProxyType.HTTP).setHost("proxy.test")
    .setPort(3128);

  private static ProxyConnectException socks(String answer) {
    return new ProxyConnectException("socks5, password, proxy.test/10.0.0.1:1080 => smtp.example.test:587, " + answer);
  }

  private static HttpProxyConnectException http(String answer) {
    return new HttpProxyConnectException("http, none, proxy.test/10.0.0.1:3128 => smtp.example.test:587, " + answer,
      EmptyHttpHeaders.INSTANCE);
  }

  @Test
  void eachAnswerIsClassified() {
    assertThat(ProxyFailures.kind(socks("authStatus: FAILURE(1)"), SOCKS5)).isEqualTo(Kind.LOGIN_REFUSED);
    assertThat(ProxyFailures.kind(socks("unexpected authMethod: PASSWORD"), HTTP)).isEqualTo(Kind.LOGIN_REQUIRED);
    assertThat(ProxyFailures.kind(socks("status: CONNECTION_REFUSED(5)"), SOCKS5)).isEqualTo(Kind.RELAY_UNREACHABLE);
    assertThat(ProxyFailures.kind(socks("timeout"), SOCKS5)).isEqualTo(Kind.TIMEOUT);
    assertThat(ProxyFailures.kind(http("status: 407 Proxy Authentication Required"), HTTP))
      .isEqualTo(Kind.LOGIN_REQUIRED);
    assertThat(ProxyFailures.kind(http("status: 401 Unauthorized"), new ProxyOptions(HTTP).setUsername("u")
      .setPassword("p"))).isEqualTo(Kind.LOGIN_REFUSED);
    assertThat(ProxyFailures.kind(http("status: 502 Bad Gateway"), HTTP)).isEqualTo(Kind.RELAY_UNREACHABLE);
    assertThat(ProxyFailures.kind(null, HTTP)).isEqualTo(Kind.PROXY_UNREACHABLE);
  }

  @Test
  void aRefusedLoginNamesTheProxyAndTheUserButNeverThePassword() {
    SmtpException e = ProxyFailures.describe(SOCKS5, RELAY, socks("authStatus: FAILURE(1)"));

    assertThat(e.phase()).isEqualTo(SmtpPhase.CONNECT);
    assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(e.getMessage())
      .contains("the SOCKS5 proxy proxy.test:1080 refused the login of proxy user 'bob' (authStatus: FAILURE(1))")
      .contains("the relay smtp.example.test:587 was not reached")
      .doesNotContain("s3cret-proxy-pass");
  }

  @Test
  void aSocks4RelayNameThatDoesNotResolveIsSaidSo() {
    ProxyOptions socks4 = new ProxyOptions().setType(ProxyType.SOCKS4).setHost("proxy.test").setPort(1080);
    SmtpException e = ProxyFailures.describe(socks4, RELAY, new java.net.UnknownHostException("smtp.example.test"));

    assertThat(e.reason()).isEqualTo(Reason.CONNECTION);
    assertThat(e.getMessage()).contains("cannot resolve the relay's name smtp.example.test to the IPv4 address the "
      + "SOCKS4 proxy proxy.test:1080 needs");
  }

  @Test
  void aProxyThatCannotBeReachedIsNotTakenForTheRelay() {
    SmtpException e = ProxyFailures.describe(HTTP, RELAY, new ConnectException("Connection refused"));

    assertThat(e.reason()).isEqualTo(Reason.CONNECTION);
    assertThat(e.getMessage()).isEqualTo("CONNECT: cannot connect to the HTTP CONNECT proxy proxy.test:3128 (to reach"
      + " the relay smtp.example.test:587): Connection refused");
  }
}
