package io.migo.smtp.impl.session;

import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The caller's trust options (or the JVM's default trust store), with one addition: when the trust manager refuses
 * the server's certificate, its exception is wrapped in a {@link CertificateRejection} that names the certificate.
 * The JDK's PKIX exception does not carry the chain, and "PKIX path building failed" alone does not tell a user
 * which certificate to trust.
 *
 * <p>Verification is exactly the wrapped manager's: every call is delegated with the same arguments, including the
 * {@link SSLEngine}, through which the JDK also checks the host name (the endpoint identification algorithm that
 * Vert.x sets on the engine). Only {@link X509ExtendedTrustManager}s are wrapped; a plain {@code X509TrustManager}
 * is left as it is, because presenting it as an extended one would skip the host-name check that the JDK adds
 * around plain managers.
 *
 * <p>Immutable, with equality by the wrapped options, so that Vert.x's SSL context cache (keyed by trust options)
 * keeps finding the same entry.
 */
final class ReportingTrustOptions implements TrustOptions {

  /** The caller's trust options, or null for the JVM's default trust store. */
  private final TrustOptions delegate;

  ReportingTrustOptions(TrustOptions delegate) {
    this.delegate = delegate == null ? null : delegate.copy();
  }

  @Override
  public TrustOptions copy() {
    return this;
  }

  @Override
  public TrustManagerFactory getTrustManagerFactory(Vertx vertx) throws Exception {
    TrustManagerFactory factory;
    if (delegate != null) {
      factory = delegate.getTrustManagerFactory(vertx);
    } else {
      factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
    }
    return new Factory(wrap(factory.getTrustManagers()), factory);
  }

  @Override
  public Function<String, TrustManager[]> trustManagerMapper(Vertx vertx) throws Exception {
    Function<String, TrustManager[]> mapper = delegate == null ? null : delegate.trustManagerMapper(vertx);
    if (mapper == null) {
      return null;
    }
    return serverName -> {
      TrustManager[] managers = mapper.apply(serverName);
      return managers == null ? null : wrap(managers);
    };
  }

  private static TrustManager[] wrap(TrustManager[] managers) {
    TrustManager[] wrapped = managers.clone();
    for (int i = 0; i < wrapped.length; i++) {
      if (wrapped[i] instanceof X509ExtendedTrustManager extended) {
        wrapped[i] = new Reporting(extended);
      }
    }
    return wrapped;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReportingTrustOptions other && Objects.equals(delegate, other.delegate);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(delegate) * 31 + 7;
  }

  /**
   * A factory that hands out the wrapped managers. Built here rather than with {@code TrustOptions.wrap}, whose
   * Vert.x helper pulls in Netty's logging and with it a dependency the core artifact does not have.
   */
  private static final class Factory extends TrustManagerFactory {
    Factory(TrustManager[] managers, TrustManagerFactory original) {
      super(new Spi(managers), original.getProvider(), original.getAlgorithm());
    }
  }

  private static final class Spi extends TrustManagerFactorySpi {
    private final TrustManager[] managers;

    Spi(TrustManager[] managers) {
      this.managers = managers;
    }

    @Override
    protected void engineInit(KeyStore keyStore) {
      // Already initialized: the managers were built by the wrapped factory.
    }

    @Override
    protected void engineInit(ManagerFactoryParameters parameters) {
      // Likewise.
    }

    @Override
    protected TrustManager[] engineGetTrustManagers() {
      return managers.clone();
    }
  }

  /** Delegates every check; a refused server certificate is rethrown as a {@link CertificateRejection}. */
  private static final class Reporting extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager delegate;

    Reporting(X509ExtendedTrustManager delegate) {
      this.delegate = delegate;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
      try {
        delegate.checkServerTrusted(chain, authType, engine);
      } catch (CertificateException e) {
        throw rejection(chain, engine == null ? null : checkedHost(engine.getSSLParameters(),
          engine.getHandshakeSession(), engine.getPeerHost()), e);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
      try {
        delegate.checkServerTrusted(chain, authType, socket);
      } catch (CertificateException e) {
        String host = socket instanceof SSLSocket ssl
          ? checkedHost(ssl.getSSLParameters(), ssl.getHandshakeSession(), null) : null;
        throw rejection(chain, host, e);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      try {
        delegate.checkServerTrusted(chain, authType);
      } catch (CertificateException e) {
        throw rejection(chain, null, e);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
      delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
      delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }

    private static CertificateRejection rejection(X509Certificate[] chain, String host, CertificateException e) {
      return new CertificateRejection(chain == null || chain.length == 0 ? null : chain[0], host, e);
    }

    /** As the JDK checks it: the SNI host name the client sent, else the host it connected to. */
    private static String checkedHost(SSLParameters parameters, SSLSession session, String peerHost) {
      List<SNIServerName> names = parameters == null ? null : parameters.getServerNames();
      if (names != null) {
        for (SNIServerName name : names) {
          if (name instanceof SNIHostName host) {
            return host.getAsciiName();
          }
        }
      }
      if (peerHost != null) {
        return peerHost;
      }
      return session == null ? null : session.getPeerHost();
    }
  }
}
