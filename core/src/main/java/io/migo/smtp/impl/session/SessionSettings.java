package io.migo.smtp.impl.session;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;
import io.migo.smtp.MailProtocol;
import io.migo.smtp.RelayAddress;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.ThrottlingRules;
import io.migo.smtp.TlsMode;
import io.vertx.core.Future;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.SSLEngineOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What a session needs from {@link SmtpClientOptions}, resolved once per client: timeouts in milliseconds, the TLS
 * options built from the trust settings, the EHLO name. Immutable.
 */
public final class SessionSettings {

  /** The primary relay first, then the failover relays, in order. */
  final List<RelayAddress> relays;
  final long relayCooldownMs;
  final TlsMode tlsMode;
  final ClientSSLOptions sslOptions;
  /** JDK or OpenSSL, resolved from {@link SmtpClientOptions#getTlsEngine()} by {@link TlsEngines}. */
  final SSLEngineOptions sslEngineOptions;
  /** Whether the client has a certificate of its own to present ({@link SmtpClientOptions#getKeyCertOptions()}). */
  final boolean clientCertificate;
  /** The proxy every connection goes through, or null to connect directly. */
  final ProxyOptions proxy;
  final Supplier<Future<Credentials>> credentials;
  final Set<AuthMechanism> authMechanisms;
  final boolean allowPlaintextAuth;
  /** The configured EHLO name, or null to use {@link #defaultEhloName}, or failing that the local address literal. */
  final String ehloName;
  final String defaultEhloName;
  final long connectTimeoutMs;
  final long greetingTimeoutMs;
  /** Without TLS from the start: how long the server may send nothing at all (see {@code Handshake#greeting}). */
  final long silentGreetingTimeoutMs;
  final long commandTimeoutMs;
  final long dataTimeoutMs;
  final boolean failOnRejectedRecipients;
  final boolean pipelining;
  final boolean chunking;
  /** LMTP (RFC 2033) rather than SMTP: LHLO, and one reply per accepted recipient after the data. */
  final boolean lmtp;
  final ThrottlingRules throttlingRules;

  public SessionSettings(SmtpClientOptions options, String defaultEhloName) {
    List<RelayAddress> all = new ArrayList<>();
    all.add(options.getUnixSocket() != null ? RelayAddress.unixSocket(options.getUnixSocket())
      : new RelayAddress(options.getHost(), options.getPort()));
    all.addAll(options.getFailoverRelays());
    this.relays = List.copyOf(all);
    this.relayCooldownMs = options.getRelayCooldown().toMillis();
    this.tlsMode = options.getTlsMode();
    this.sslOptions = sslOptions(options);
    this.sslEngineOptions = TlsEngines.resolve(options.getTlsEngine(), options.getTlsMode());
    this.proxy = options.getProxyOptions();
    this.clientCertificate = options.getKeyCertOptions() != null;
    this.credentials = options.getCredentialsSupplier();
    this.authMechanisms = Set.copyOf(options.getAuthMechanisms());
    this.allowPlaintextAuth = options.isAllowPlaintextAuth();
    this.ehloName = options.getEhloName();
    this.defaultEhloName = defaultEhloName;
    this.connectTimeoutMs = options.getConnectTimeout().toMillis();
    this.greetingTimeoutMs = options.getGreetingTimeout().toMillis();
    this.silentGreetingTimeoutMs = options.getSilentGreetingTimeout().toMillis();
    this.commandTimeoutMs = options.getCommandTimeout().toMillis();
    this.dataTimeoutMs = options.getDataTimeout().toMillis();
    this.failOnRejectedRecipients = options.isFailOnRejectedRecipients();
    this.pipelining = options.isPipelining();
    this.chunking = options.isChunking();
    this.lmtp = options.getProtocol() == MailProtocol.LMTP;
    this.throttlingRules = options.getThrottlingRules();
  }

  /**
   * Certificate and host-name checks are set here and only here, from the two explicit options, so that no other
   * option can switch them off by side effect. The trust options (the caller's, or the JVM's default trust store) are
   * wrapped so that a refused certificate names its subject and issuer ({@link ReportingTrustOptions}); the checks
   * themselves are unchanged. Trust-all has nothing to report and is left to Vert.x.
   */
  private static ClientSSLOptions sslOptions(SmtpClientOptions options) {
    ClientSSLOptions ssl = new ClientSSLOptions()
      .setHostnameVerificationAlgorithm(options.isVerifyHostname() ? "HTTPS" : "")
      .setTrustAll(options.isTrustAll())
      .setSslHandshakeTimeout(options.getConnectTimeout().toMillis())
      .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
      .setKeyCertOptions(options.getKeyCertOptions());
    if (!options.isTrustAll()) {
      ssl.setTrustOptions(new ReportingTrustOptions(options.getTrustOptions()));
    }
    return ssl;
  }

  /** The server name for SNI; SNI carries host names only, never address literals. */
  static String serverName(RelayAddress relay) {
    return isIpLiteral(relay.host()) ? null : relay.host();
  }

  private static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
  }
}
