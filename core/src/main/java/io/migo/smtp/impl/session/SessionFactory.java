package io.migo.smtp.impl.session;

import io.migo.smtp.RelayAddress;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.TlsMode;
import io.migo.smtp.impl.ClientContext;
import io.migo.smtp.impl.FailurePolicy;
import io.migo.smtp.impl.FailurePolicy.Retry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ProxyType;
import io.vertx.core.net.SocketAddress;

import javax.net.ssl.SSLException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Opens sessions: TCP connect, directly or through the configured proxy (TLS from the start for implicit TLS), then
 * the {@link Handshake}; fails over to the next relay when one cannot be reached.
 */
public final class SessionFactory {

  private final Vertx vertx;
  private final ClientContext context;
  private final SessionSettings settings;
  private final NetClient netClient;
  private final RelaySelector relays;

  public SessionFactory(Vertx vertx, ClientContext context, SessionSettings settings) {
    this.vertx = vertx;
    this.context = context;
    this.settings = settings;
    this.netClient = vertx.createNetClient(new NetClientOptions()
      .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.connectTimeoutMs))
      .setTcpNoDelay(true)
      .setSslEngineOptions(settings.sslEngineOptions));
    this.relays = new RelaySelector(settings.relays, settings.relayCooldownMs);
  }

  /**
   * Opens a session on the first relay that can be reached and greets with 220 (a relay refusing with a transient
   * or connection failure is put in cool-down and the next one is tried). Must be called on the client's context;
   * the session lives on its event loop.
   */
  public Future<Session> open() {
    List<RelayAddress> order = relays.candidates();
    Future<Session> opened = attempt(order.get(0));
    for (int i = 0; i < order.size(); i++) {
      RelayAddress tried = order.get(i);
      RelayAddress next = i + 1 < order.size() ? order.get(i + 1) : null;
      opened = opened.recover(t -> afterFailure(tried, t, next));
    }
    return opened;
  }

  /** One relay: connect and handshake; a relay that answers is out of cool-down. */
  private Future<Session> attempt(RelayAddress relay) {
    return openOn(relay).onSuccess(session -> relays.succeeded(relay));
  }

  /**
   * A failure that another relay may not have puts {@code tried} in cool-down and tries {@code next} (if any is
   * left); any other failure is the answer. A failure passed on from an earlier step is never worth failing over,
   * so it goes through the later steps untouched.
   */
  private Future<Session> afterFailure(RelayAddress tried, Throwable t, RelayAddress next) {
    if (!(t instanceof SmtpException e) || FailurePolicy.retry(e, false) != Retry.FAIL_OVER) {
      return Future.failedFuture(t);
    }
    relays.failed(tried);
    return next == null ? Future.failedFuture(e) : attempt(next);
  }

  private Future<Session> openOn(RelayAddress relay) {
    boolean implicitTls = settings.tlsMode == TlsMode.IMPLICIT;
    ConnectOptions connect = new ConnectOptions()
      .setTimeout((int) Math.min(Integer.MAX_VALUE, settings.connectTimeoutMs));
    if (relay.isUnixSocket()) {
      // Vert.x's JDK transport connects to Unix sockets itself on Java 16+ (Netty's NIO domain channel).
      connect.setRemoteAddress(SocketAddress.domainSocketAddress(relay.socketPath()));
    } else {
      connect.setHost(relay.host()).setPort(relay.port());
    }
    if (implicitTls) {
      connect.setSsl(true).setSslOptions(settings.sslOptions).setSniServerName(SessionSettings.serverName(relay));
    }
    return throughProxy(connect, relay)
      .compose(netClient::connect)
      .recover(t -> Future.failedFuture(connectFailure(relay, t)))
      .compose(socket -> handshake(socket, relay, implicitTls));
  }

  /**
   * Adds the proxy, if any. The address Vert.x is given stays the relay's, with its host name: that name is what the
   * certificate is checked against (for implicit TLS here, for STARTTLS in {@link SmtpConnection#upgradeToTls}),
   * while only the TCP connection goes to the proxy. SOCKS5 and HTTP CONNECT pass the name to the proxy, which
   * resolves it. SOCKS4 carries an IPv4 address only (Netty would send the name as SOCKS4a, which Dante and other
   * SOCKS4 servers refuse), so the name is resolved here and the address keeps the name beside it.
   */
  private Future<ConnectOptions> throughProxy(ConnectOptions connect, RelayAddress relay) {
    if (settings.proxy == null || relay.isUnixSocket()) { // a Unix socket is on this machine: no proxy to go through
      return Future.succeededFuture(connect);
    }
    connect.setProxyOptions(settings.proxy);
    if (settings.proxy.getType() != ProxyType.SOCKS4) {
      return Future.succeededFuture(connect);
    }
    return vertx.executeBlocking(() -> ipv4Address(relay), false)
      .map(address -> connect.setRemoteAddress(SocketAddress.inetSocketAddress(address)));
  }

  private static InetSocketAddress ipv4Address(RelayAddress relay) throws UnknownHostException {
    InetAddress ipv4 = Arrays.stream(InetAddress.getAllByName(relay.host()))
      .filter(Inet4Address.class::isInstance).findFirst()
      .orElseThrow(() -> new UnknownHostException(relay.host() + " has no IPv4 address, which SOCKS4 needs"
        + " (use SOCKS5, where the proxy resolves the name)"));
    // Keep the name with the address, so that the certificate is checked against the name, as without a proxy.
    return new InetSocketAddress(InetAddress.getByAddress(relay.host(), ipv4.getAddress()), relay.port());
  }

  private Future<Session> handshake(NetSocket socket, RelayAddress relay, boolean encrypted) {
    SmtpConnection connection = new SmtpConnection(vertx, context, socket, encrypted);
    return new Handshake(vertx, connection, settings, relay).run()
      .map(caps -> new Session(connection, caps, settings))
      .onFailure(t -> connection.close());
  }

  /**
   * A failure of the implicit-TLS handshake is told apart from an unreachable relay by its SSLException; with a
   * proxy, what failed is told by {@link ProxyFailures}.
   */
  private SmtpException connectFailure(RelayAddress relay, Throwable t) {
    if (TlsFailures.chain(t).stream().anyMatch(SSLException.class::isInstance)) {
      return TlsFailures.describe(SmtpPhase.CONNECT, t, relay);
    }
    if (settings.proxy != null) {
      return ProxyFailures.describe(settings.proxy, relay, t);
    }
    return new SmtpException(SmtpPhase.CONNECT, Reason.CONNECTION,
      "cannot connect to " + relay + ": " + t.getMessage(), t);
  }

  public Future<Void> close() {
    return netClient.close();
  }
}
