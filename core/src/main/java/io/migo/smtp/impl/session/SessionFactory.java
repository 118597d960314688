package io.migo.smtp.impl.session;

import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.TlsMode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import javax.net.ssl.SSLException;

/** Opens sessions: TCP connect (TLS from the start for implicit TLS), then the {@link Handshake}. */
public final class SessionFactory {

  private final Vertx vertx;
  private final SessionSettings settings;
  private final NetClient netClient;

  public SessionFactory(Vertx vertx, SessionSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.netClient = vertx.createNetClient(new NetClientOptions()
      .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.connectTimeoutMs))
      .setTcpNoDelay(true));
  }

  /** Must be called on the client's context; the session lives on its event loop. */
  public Future<Session> open() {
    boolean implicitTls = settings.tlsMode == TlsMode.IMPLICIT;
    ConnectOptions connect = new ConnectOptions()
      .setHost(settings.host)
      .setPort(settings.port)
      .setTimeout((int) Math.min(Integer.MAX_VALUE, settings.connectTimeoutMs));
    if (implicitTls) {
      connect.setSsl(true).setSslOptions(settings.sslOptions).setSniServerName(settings.serverName());
    }
    return netClient.connect(connect)
      .recover(t -> Future.failedFuture(connectFailure(t)))
      .compose(socket -> handshake(socket, implicitTls));
  }

  private Future<Session> handshake(NetSocket socket, boolean encrypted) {
    SmtpConnection connection = new SmtpConnection(vertx, socket, encrypted);
    return new Handshake(connection, settings).run()
      .map(caps -> new Session(connection, caps, settings))
      .onFailure(t -> connection.close());
  }

  private SmtpException connectFailure(Throwable t) {
    String where = settings.host + ":" + settings.port;
    if (t instanceof SSLException || t.getCause() instanceof SSLException) {
      return new SmtpException(SmtpPhase.CONNECT, Reason.TLS, "TLS failed with " + where + ": " + t.getMessage(), t);
    }
    return new SmtpException(SmtpPhase.CONNECT, Reason.CONNECTION,
      "cannot connect to " + where + ": " + t.getMessage(), t);
  }

  public Future<Void> close() {
    return netClient.close();
  }
}
