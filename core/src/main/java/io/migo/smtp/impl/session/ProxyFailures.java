package io.migo.smtp.impl.session;

import io.migo.smtp.RelayAddress;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.netty.handler.proxy.HttpProxyHandler.HttpProxyConnectException;
import io.netty.handler.proxy.ProxyConnectException;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;

import java.net.UnknownHostException;
import java.util.List;

/**
 * What a failed connection through a proxy means, in one place, so that the user is told it was the <em>proxy</em>
 * (and which one) that refused, not the relay. Netty's proxy handlers, which Vert.x uses, report every refusal as a
 * {@link ProxyConnectException} whose message ends in the proxy's answer ({@code authStatus: FAILURE},
 * {@code status: 407 Proxy Authentication Required}, {@code status: CONNECTION_REFUSED}); anything else that fails
 * the TCP connection failed to reach the proxy itself. The original exception stays the cause; the proxy password is
 * never part of any message.
 */
final class ProxyFailures {

  private ProxyFailures() {
  }

  /** What went wrong, from the cause chain. */
  enum Kind {
    /** The proxy refused the user name and password. */
    LOGIN_REFUSED,
    /** The proxy wants a login (or another method) the client did not offer. */
    LOGIN_REQUIRED,
    /** The proxy answered but did not open the tunnel to the relay (unreachable, refused, not allowed). */
    RELAY_UNREACHABLE,
    /** The proxy did not answer its handshake in time. */
    TIMEOUT,
    /** The TCP connection to the proxy itself failed. */
    PROXY_UNREACHABLE,
    /** SOCKS4 only: the client could not resolve the relay's name to an IPv4 address to hand the proxy. */
    RELAY_NAME_UNRESOLVED
  }

  /** The typed CONNECT failure for a connection to {@code relay} through {@code proxy} that failed with {@code t}. */
  static SmtpException describe(ProxyOptions proxy, RelayAddress relay, Throwable t) {
    List<Throwable> chain = TlsFailures.chain(t);
    ProxyConnectException refusal = find(chain);
    String answer = refusal == null ? String.valueOf(t.getMessage()) : answer(refusal);
    String name = name(proxy);
    Kind kind = refusal == null && find(chain, UnknownHostException.class) != null && proxy.getType() == ProxyType.SOCKS4
      ? Kind.RELAY_NAME_UNRESOLVED : kind(refusal, proxy);
    return switch (kind) {
      case LOGIN_REFUSED -> new SmtpException(SmtpPhase.CONNECT, Reason.AUTHENTICATION_FAILED,
        "the " + name + " refused the login of proxy user '" + proxy.getUsername() + "' (" + answer + "); the relay "
          + relay + " was not reached: check the proxy user name and password (ProxyOptions; CLI: --proxy)", t);
      case LOGIN_REQUIRED -> new SmtpException(SmtpPhase.CONNECT, Reason.AUTHENTICATION_FAILED,
        "the " + name + " requires a login the client did not offer (" + answer + "); the relay " + relay
          + " was not reached: set the proxy user name and password (ProxyOptions.setUsername/setPassword; CLI: "
          + "--proxy " + scheme(proxy) + "://user:password@host:port)", t);
      case RELAY_UNREACHABLE -> new SmtpException(SmtpPhase.CONNECT, Reason.CONNECTION,
        "the " + name + " could not open a connection to the relay " + relay + " (" + answer + ")", t);
      case TIMEOUT -> new SmtpException(SmtpPhase.CONNECT, Reason.TIMEOUT,
        "the " + name + " did not complete its handshake in time (" + answer + "); the relay " + relay
          + " was not reached", t);
      case PROXY_UNREACHABLE -> new SmtpException(SmtpPhase.CONNECT, Reason.CONNECTION,
        "cannot connect to the " + name + " (to reach the relay " + relay + "): " + answer, t);
      case RELAY_NAME_UNRESOLVED -> new SmtpException(SmtpPhase.CONNECT, Reason.CONNECTION,
        "cannot resolve the relay's name " + relay.host() + " to the IPv4 address the " + name + " needs: " + answer,
        t);
    };
  }

  static Kind kind(ProxyConnectException refusal, ProxyOptions proxy) {
    if (refusal == null) {
      return Kind.PROXY_UNREACHABLE;
    }
    String answer = answer(refusal);
    boolean withLogin = proxy.getUsername() != null;
    if (refusal instanceof HttpProxyConnectException) {
      // tinyproxy answers a wrong or missing BasicAuth with 401 instead of RFC 9110's 407.
      if (answer.startsWith("status: 407") || answer.startsWith("status: 401")) {
        return withLogin ? Kind.LOGIN_REFUSED : Kind.LOGIN_REQUIRED;
      }
      return Kind.RELAY_UNREACHABLE;
    }
    if (answer.startsWith("authStatus:") || answer.startsWith("privateAuthStatus:")) {
      return Kind.LOGIN_REFUSED;
    }
    if (answer.regionMatches(true, 0, "unexpected authMethod", 0, 21)) {
      return Kind.LOGIN_REQUIRED;
    }
    if (answer.equals("timeout")) {
      return Kind.TIMEOUT;
    }
    return Kind.RELAY_UNREACHABLE;
  }

  /**
   * The proxy's own answer: Netty's message is {@code "socks5, password, /127.0.0.1:1080 => relay:587, <answer>"}.
   */
  static String answer(ProxyConnectException e) {
    String m = String.valueOf(e.getMessage());
    int arrow = m.indexOf(" => ");
    int comma = arrow < 0 ? -1 : m.indexOf(", ", arrow);
    return comma < 0 ? m : m.substring(comma + 2);
  }

  /** E.g. "SOCKS5 proxy proxy.example:1080"; never the password. */
  static String name(ProxyOptions proxy) {
    String type = proxy.getType() == ProxyType.HTTP ? "HTTP CONNECT" : proxy.getType().name();
    return type + " proxy " + proxy.getHost() + ":" + proxy.getPort();
  }

  private static String scheme(ProxyOptions proxy) {
    return proxy.getType() == ProxyType.HTTP ? "http" : proxy.getType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static ProxyConnectException find(List<Throwable> chain) {
    return find(chain, ProxyConnectException.class);
  }

  private static <T extends Throwable> T find(List<Throwable> chain, Class<T> type) {
    for (Throwable c : chain) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
