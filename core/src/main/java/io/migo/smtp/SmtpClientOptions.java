package io.migo.smtp;

import io.vertx.core.Future;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.TrustOptions;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * How to reach and talk to one SMTP relay. The defaults fit an authenticated submission relay: port 587 with
 * STARTTLS required, certificates and host names verified, no credential ever sent in clear.
 *
 * <p>The client copies these options when it is created; changing them afterwards has no effect on it.
 *
 * <p>Timeouts follow RFC 5321 §4.5.3.2 by default: 5 minutes for the greeting and each command, 10 minutes for the
 * reply that follows the end of the data (the server may be delivering while it waits).
 */
public class SmtpClientOptions {

  public static final String DEFAULT_HOST = "localhost";
  public static final TlsMode DEFAULT_TLS_MODE = TlsMode.STARTTLS_REQUIRED;
  /** The password mechanisms; SCRAM is chosen first whenever the server offers it. */
  public static final Set<AuthMechanism> DEFAULT_AUTH_MECHANISMS = Set.copyOf(EnumSet.of(AuthMechanism.PLAIN,
    AuthMechanism.LOGIN, AuthMechanism.CRAM_MD5, AuthMechanism.SCRAM_SHA_256, AuthMechanism.SCRAM_SHA_1));
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_GREETING_TIMEOUT = Duration.ofMinutes(5);
  /**
   * Longer than the pause a greeting filter makes before it speaks (Postfix postscreen's {@code greet_wait}, 6 s), so
   * that a slow but honest server is never cut short.
   */
  public static final Duration DEFAULT_SILENT_GREETING_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMinutes(5);
  public static final Duration DEFAULT_DATA_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration DEFAULT_RELAY_COOLDOWN = Duration.ofSeconds(30);
  /** How long a message may be deferred by throttling replies, from its first deferral, before it fails. */
  public static final Duration DEFAULT_THROTTLE_TIMEOUT = Duration.ofMinutes(15);

  private String host = DEFAULT_HOST;
  private int port;
  private String unixSocket;
  private MailProtocol protocol = MailProtocol.SMTP;
  private List<RelayAddress> failoverRelays = List.of();
  private Duration relayCooldown = DEFAULT_RELAY_COOLDOWN;
  private TlsMode tlsMode = DEFAULT_TLS_MODE;
  private boolean tlsModeSet;
  private TrustOptions trustOptions;
  private boolean trustAll;
  private TlsEngine tlsEngine = TlsEngine.AUTO;
  private boolean verifyHostname = true;
  private KeyCertOptions keyCertOptions;
  private ProxyOptions proxyOptions;
  private Supplier<Future<Credentials>> credentialsSupplier;
  private Set<AuthMechanism> authMechanisms = DEFAULT_AUTH_MECHANISMS;
  private boolean allowPlaintextAuth;
  private String ehloName;
  private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
  private Duration greetingTimeout = DEFAULT_GREETING_TIMEOUT;
  private Duration silentGreetingTimeout = DEFAULT_SILENT_GREETING_TIMEOUT;
  private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
  private Duration dataTimeout = DEFAULT_DATA_TIMEOUT;
  private boolean failOnRejectedRecipients;
  private boolean pipelining = true;
  private boolean chunking = true;
  private RetryPolicy retryPolicy = RetryPolicy.defaults();
  private double maxRate;
  private Duration throttleTimeout = DEFAULT_THROTTLE_TIMEOUT;
  private ThrottlingRules throttlingRules = ThrottlingRules.defaults();
  private SmtpMetrics metrics = SmtpMetrics.NONE;
  private DkimOptions dkim;

  public SmtpClientOptions() {
  }

  public SmtpClientOptions(SmtpClientOptions other) {
    this.host = other.host;
    this.port = other.port;
    this.unixSocket = other.unixSocket;
    this.protocol = other.protocol;
    this.failoverRelays = other.failoverRelays;
    this.relayCooldown = other.relayCooldown;
    this.tlsMode = other.tlsMode;
    this.tlsModeSet = other.tlsModeSet;
    this.trustOptions = other.trustOptions == null ? null : other.trustOptions.copy();
    this.trustAll = other.trustAll;
    this.tlsEngine = other.tlsEngine;
    this.verifyHostname = other.verifyHostname;
    this.keyCertOptions = other.keyCertOptions == null ? null : other.keyCertOptions.copy();
    this.proxyOptions = other.proxyOptions == null ? null : new ProxyOptions(other.proxyOptions);
    this.credentialsSupplier = other.credentialsSupplier;
    this.authMechanisms = other.authMechanisms;
    this.allowPlaintextAuth = other.allowPlaintextAuth;
    this.ehloName = other.ehloName;
    this.connectTimeout = other.connectTimeout;
    this.greetingTimeout = other.greetingTimeout;
    this.silentGreetingTimeout = other.silentGreetingTimeout;
    this.commandTimeout = other.commandTimeout;
    this.dataTimeout = other.dataTimeout;
    this.failOnRejectedRecipients = other.failOnRejectedRecipients;
    this.pipelining = other.pipelining;
    this.chunking = other.chunking;
    this.retryPolicy = other.retryPolicy;
    this.maxRate = other.maxRate;
    this.throttleTimeout = other.throttleTimeout;
    this.throttlingRules = other.throttlingRules;
    this.metrics = other.metrics;
    this.dkim = other.dkim == null ? null : new DkimOptions(other.dkim);
  }

  public String getHost() {
    return host;
  }

  public SmtpClientOptions setHost(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return this;
  }

  /**
   * The configured port, or when none was set: {@link MailProtocol#LMTP_PORT} (24) for LMTP, else the TLS mode's
   * default (587, or 465 for implicit TLS).
   */
  public int getPort() {
    if (port > 0) {
      return port;
    }
    return protocol == MailProtocol.LMTP ? MailProtocol.LMTP_PORT : tlsMode.defaultPort();
  }

  public SmtpClientOptions setPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535: " + port);
    }
    this.port = port;
    return this;
  }

  /** The Unix domain socket the primary relay listens on, or {@code null} when it is reached over TCP. */
  public String getUnixSocket() {
    return unixSocket;
  }

  /**
   * Reaches the primary relay through the Unix domain socket at {@code path} (e.g. Dovecot's {@code
   * /run/dovecot/lmtp}) instead of {@link #getHost()}:{@link #getPort()}; {@code null} goes back to TCP. Vert.x's
   * default (JDK) transport connects to Unix sockets on Java 16 and later; no native transport is needed.
   *
   * <p>A Unix socket never leaves the machine and the file's permissions say who may connect, so on a socket the TLS
   * mode defaults to {@link TlsMode#NONE} (a mode set with {@link #setTlsMode} still holds), and the cleartext AUTH
   * mechanisms are allowed without TLS, as Dovecot and Postfix treat their local sockets as secure.
   */
  public SmtpClientOptions setUnixSocket(String path) {
    if (path != null && path.isEmpty()) {
      throw new IllegalArgumentException("the Unix socket path is empty");
    }
    this.unixSocket = path;
    return this;
  }

  public MailProtocol getProtocol() {
    return protocol;
  }

  /**
   * SMTP (the default) or LMTP (RFC 2033): {@code LHLO} instead of EHLO, and one reply per accepted recipient after
   * the data, each reported in the {@link SendResult} (see {@link MailProtocol}).
   */
  public SmtpClientOptions setProtocol(MailProtocol protocol) {
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    return this;
  }

  public List<RelayAddress> getFailoverRelays() {
    return failoverRelays;
  }

  /**
   * Relays to try, in order, when the primary ({@link #getHost()}:{@link #getPort()}) cannot be reached or answers
   * its greeting with 421. Each uses the same TLS, trust and credential settings; certificates are checked against
   * each relay's own host name.
   */
  public SmtpClientOptions setFailoverRelays(List<RelayAddress> failoverRelays) {
    this.failoverRelays = List.copyOf(failoverRelays);
    return this;
  }

  public Duration getRelayCooldown() {
    return relayCooldown;
  }

  /** How long a relay that failed is skipped in favour of the next one (unless every relay is cooling down). */
  public SmtpClientOptions setRelayCooldown(Duration relayCooldown) {
    this.relayCooldown = positive(relayCooldown, "relayCooldown");
    return this;
  }

  /**
   * The TLS mode set with {@link #setTlsMode}; when none was set, {@link TlsMode#IMPLICIT} for port 465 (RFC 8314
   * §3.3: that port speaks TLS from the first byte), {@link TlsMode#NONE} on a {@linkplain #setUnixSocket Unix socket}
   * and {@link #DEFAULT_TLS_MODE} otherwise.
   */
  public TlsMode getTlsMode() {
    if (!tlsModeSet && unixSocket != null) {
      return TlsMode.NONE; // a local socket: see setUnixSocket
    }
    if (!tlsModeSet && port == TlsMode.IMPLICIT.defaultPort()) {
      return TlsMode.IMPLICIT;
    }
    return tlsMode;
  }

  /**
   * How the session uses TLS. When this is never called the mode follows the port: {@link TlsMode#IMPLICIT} on port
   * 465 (RFC 8314), {@link #DEFAULT_TLS_MODE} ({@link TlsMode#STARTTLS_REQUIRED}) on any other. Once called, the
   * mode is exactly the one given, whatever the port (e.g. STARTTLS on 465 for a server that really does that).
   */
  public SmtpClientOptions setTlsMode(TlsMode tlsMode) {
    this.tlsMode = Objects.requireNonNull(tlsMode, "tlsMode");
    this.tlsModeSet = true;
    return this;
  }

  /** Whether {@link #setTlsMode} was called, i.e. whether {@link #getTlsMode()} is the user's choice or the port's. */
  public boolean isTlsModeSet() {
    return tlsModeSet;
  }

  public TrustOptions getTrustOptions() {
    return trustOptions;
  }

  /**
   * Which certificate authorities to trust, e.g. {@code new PemTrustOptions().addCertPath("ca.pem")}; the JVM's
   * default trust store when unset.
   */
  public SmtpClientOptions setTrustOptions(TrustOptions trustOptions) {
    this.trustOptions = trustOptions;
    return this;
  }

  public boolean isTrustAll() {
    return trustAll;
  }

  /** Accept any server certificate. For tests against throw-away servers only: it defeats TLS against an active attacker. */
  public SmtpClientOptions setTrustAll(boolean trustAll) {
    this.trustAll = trustAll;
    return this;
  }

  public TlsEngine getTlsEngine() {
    return tlsEngine;
  }

  /**
   * The TLS implementation: {@link TlsEngine#AUTO} (default) uses OpenSSL when its native library is on the class
   * path and the JDK's engine otherwise; {@link TlsEngine#OPENSSL} requires it.
   */
  public SmtpClientOptions setTlsEngine(TlsEngine tlsEngine) {
    this.tlsEngine = Objects.requireNonNull(tlsEngine, "tlsEngine");
    return this;
  }

  public boolean isVerifyHostname() {
    return verifyHostname;
  }

  /** Check that the server certificate names {@link #getHost()} (on by default). */
  public SmtpClientOptions setVerifyHostname(boolean verifyHostname) {
    this.verifyHostname = verifyHostname;
    return this;
  }

  public KeyCertOptions getKeyCertOptions() {
    return keyCertOptions;
  }

  /**
   * The client's own certificate and private key, presented when the relay asks for one during the TLS handshake
   * (STARTTLS or implicit TLS alike), for relays that authenticate the client by certificate, e.g.
   * {@code new PemKeyCertOptions().setCertPath("client.pem").setKeyPath("client.key")} or
   * {@code new PfxOptions().setPath("client.p12").setPassword(...)}; none by default. The options are copied.
   */
  public SmtpClientOptions setKeyCertOptions(KeyCertOptions keyCertOptions) {
    this.keyCertOptions = keyCertOptions == null ? null : keyCertOptions.copy();
    return this;
  }

  public ProxyOptions getProxyOptions() {
    return proxyOptions;
  }

  /**
   * Reach every relay through this proxy: SOCKS5 (with or without user name and password), SOCKS4 or HTTP CONNECT,
   * e.g. {@code new ProxyOptions().setType(ProxyType.SOCKS5).setHost("proxy").setPort(1080)}; none by default. TLS
   * (STARTTLS or implicit) runs end to end through the tunnel, and the certificate is checked against the relay's host
   * name, never the proxy's. With SOCKS5 and HTTP the proxy resolves the relay's name; SOCKS4 carries an IPv4 address
   * only, so the client resolves it. The options are copied; the proxy password never appears in messages or logs.
   */
  public SmtpClientOptions setProxyOptions(ProxyOptions proxyOptions) {
    this.proxyOptions = proxyOptions == null ? null : new ProxyOptions(proxyOptions);
    return this;
  }

  public Supplier<Future<Credentials>> getCredentialsSupplier() {
    return credentialsSupplier;
  }

  /** Fixed credentials. */
  public SmtpClientOptions setCredentials(String username, String secret) {
    Credentials credentials = new Credentials(username, secret);
    this.credentialsSupplier = () -> Future.succeededFuture(credentials);
    return this;
  }

  /**
   * Credentials fetched at each authentication, e.g. a fresh OAuth 2.0 access token for XOAUTH2. Called on the
   * client's event loop: it must not block.
   */
  public SmtpClientOptions setCredentialsSupplier(Supplier<Future<Credentials>> credentialsSupplier) {
    this.credentialsSupplier = credentialsSupplier;
    return this;
  }

  /** Whether the client authenticates (credentials are set). */
  public boolean hasCredentials() {
    return credentialsSupplier != null;
  }

  public Set<AuthMechanism> getAuthMechanisms() {
    return authMechanisms;
  }

  /**
   * The mechanisms the client may use; the one used is picked from these and the server's list by the preference
   * documented in the README. XOAUTH2 and OAUTHBEARER are not allowed by default because their secret is a token, not
   * a password.
   */
  public SmtpClientOptions setAuthMechanisms(Set<AuthMechanism> authMechanisms) {
    if (authMechanisms.isEmpty()) {
      throw new IllegalArgumentException("at least one AUTH mechanism is required");
    }
    this.authMechanisms = Set.copyOf(authMechanisms);
    return this;
  }

  public boolean isAllowPlaintextAuth() {
    return allowPlaintextAuth;
  }

  /** Allow mechanisms that reveal the secret (PLAIN, LOGIN, XOAUTH2) over an unencrypted connection. Off by default. */
  public SmtpClientOptions setAllowPlaintextAuth(boolean allowPlaintextAuth) {
    this.allowPlaintextAuth = allowPlaintextAuth;
    return this;
  }

  public String getEhloName() {
    return ehloName;
  }

  /**
   * The domain or address literal sent with EHLO/HELO; by default the local host name when it is a valid domain,
   * else the address literal of the connection's local address.
   */
  public SmtpClientOptions setEhloName(String ehloName) {
    this.ehloName = ehloName;
    return this;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  /** Opening the TCP connection and, with TLS, each handshake. */
  public SmtpClientOptions setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = positive(connectTimeout, "connectTimeout");
    return this;
  }

  public Duration getGreetingTimeout() {
    return greetingTimeout;
  }

  /** The wait for the server's whole greeting (RFC 5321 §4.5.3.2: 5 minutes), once it has begun to send it. */
  public SmtpClientOptions setGreetingTimeout(Duration greetingTimeout) {
    this.greetingTimeout = positive(greetingTimeout, "greetingTimeout");
    return this;
  }

  public Duration getSilentGreetingTimeout() {
    return silentGreetingTimeout;
  }

  /**
   * How long a connection without TLS waits for the first byte of the greeting (10 s by default) before it fails
   * with phase GREETING and reason TIMEOUT. An SMTP server speaks first; one that says nothing at all is most likely
   * waiting for a TLS handshake (an implicit-TLS port such as 465 reached with a STARTTLS or plain mode), and the
   * failure says so. Once any byte has arrived, {@link #setGreetingTimeout the greeting timeout} applies. Not used
   * with {@link TlsMode#IMPLICIT}, where the TLS handshake comes first.
   */
  public SmtpClientOptions setSilentGreetingTimeout(Duration silentGreetingTimeout) {
    this.silentGreetingTimeout = positive(silentGreetingTimeout, "silentGreetingTimeout");
    return this;
  }

  public Duration getCommandTimeout() {
    return commandTimeout;
  }

  /** The wait for each command's reply, and for the socket to accept more data while the message is written. */
  public SmtpClientOptions setCommandTimeout(Duration commandTimeout) {
    this.commandTimeout = positive(commandTimeout, "commandTimeout");
    return this;
  }

  public Duration getDataTimeout() {
    return dataTimeout;
  }

  /** The wait for the reply after the end of the data, when the server takes responsibility for the message. */
  public SmtpClientOptions setDataTimeout(Duration dataTimeout) {
    this.dataTimeout = positive(dataTimeout, "dataTimeout");
    return this;
  }

  public boolean isFailOnRejectedRecipients() {
    return failOnRejectedRecipients;
  }

  /**
   * When a recipient is refused, fail the whole message instead of sending it to the others. The message data is
   * then only sent after every RCPT reply was read (one more round trip per message).
   */
  public SmtpClientOptions setFailOnRejectedRecipients(boolean failOnRejectedRecipients) {
    this.failOnRejectedRecipients = failOnRejectedRecipients;
    return this;
  }

  public boolean isPipelining() {
    return pipelining;
  }

  /** Use PIPELINING (RFC 2920) when the server offers it (on by default). */
  public SmtpClientOptions setPipelining(boolean pipelining) {
    this.pipelining = pipelining;
    return this;
  }

  public boolean isChunking() {
    return chunking;
  }

  /**
   * Send content with BDAT (RFC 3030 CHUNKING) when the server offers it (on by default): no dot-stuffing and, with
   * PIPELINING, the whole message in one write and one round trip.
   */
  public SmtpClientOptions setChunking(boolean chunking) {
    this.chunking = chunking;
    return this;
  }

  public RetryPolicy getRetryPolicy() {
    return retryPolicy;
  }

  /** When a message refused with a transient (4xx) reply is tried again; {@link RetryPolicy#none()} to never. */
  public SmtpClientOptions setRetryPolicy(RetryPolicy retryPolicy) {
    this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
    return this;
  }

  public double getMaxRate() {
    return maxRate;
  }

  /**
   * At most this many messages per second, across every session of the client, evenly spaced (a message may go
   * as soon as its slot comes, without bursts above the rate); 0, the default, for no limit of the client's own.
   * After a {@linkplain ThrottlingRules.Kind#RATE_LIMIT rate-limit reply} the client goes slower than this and grows
   * back to it while the relay accepts.
   */
  public SmtpClientOptions setMaxRate(double messagesPerSecond) {
    if (!(messagesPerSecond >= 0) || Double.isInfinite(messagesPerSecond)) {
      throw new IllegalArgumentException("maxRate must be a finite number >= 0 (0 for no limit)");
    }
    this.maxRate = messagesPerSecond;
    return this;
  }

  public Duration getThrottleTimeout() {
    return throttleTimeout;
  }

  /**
   * How long a message may stay deferred by throttling replies, counted from its first deferral, before it fails with
   * {@link SmtpException.Reason#THROTTLED} (default {@link #DEFAULT_THROTTLE_TIMEOUT}).
   */
  public SmtpClientOptions setThrottleTimeout(Duration throttleTimeout) {
    this.throttleTimeout = positive(throttleTimeout, "throttleTimeout");
    return this;
  }

  public ThrottlingRules getThrottlingRules() {
    return throttlingRules;
  }

  /**
   * Which replies mean "slow down" ({@link ThrottlingRules#defaults()} unless set); {@link ThrottlingRules#none()}
   * treats every refusal as an ordinary failure.
   */
  public SmtpClientOptions setThrottlingRules(ThrottlingRules throttlingRules) {
    this.throttlingRules = Objects.requireNonNull(throttlingRules, "throttlingRules");
    return this;
  }

  public SmtpMetrics getMetrics() {
    return metrics;
  }

  /**
   * Where the client reports its events (messages by outcome and latency, deferrals, throttling replies, sessions
   * opened and closed); {@link SmtpMetrics#NONE}, the default, reports nothing and costs nothing. The object itself is
   * shared, not copied, with the options: several clients given the same one report into the same meters. For
   * Micrometer, see {@code io.migo.smtp.micrometer.MicrometerSmtpMetrics} in the {@code migo-smtp-micrometer} module.
   */
  public SmtpClientOptions setMetrics(SmtpMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    return this;
  }

  /** A copy of the DKIM options, or {@code null} when messages are not signed. */
  public DkimOptions getDkim() {
    return dkim == null ? null : new DkimOptions(dkim);
  }

  /**
   * DKIM-signs every message the client sends with these options (copied and {@linkplain DkimOptions#validate()
   * validated} now, so that a bad key or a key of the wrong type fails here); {@code null}, the default, signs
   * nothing.
   */
  public SmtpClientOptions setDkim(DkimOptions dkim) {
    this.dkim = dkim == null ? null : new DkimOptions(dkim).validate();
    return this;
  }

  private static Duration positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return d;
  }
}
