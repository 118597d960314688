package io.migo.smtp.impl.compat;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;
import io.migo.smtp.DkimAlgorithm;
import io.migo.smtp.DkimCanonicalization;
import io.migo.smtp.DkimOptions;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.TlsMode;
import io.migo.smtp.impl.protocol.EhloNames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.mail.CanonicalizationAlgorithm;
import io.vertx.ext.mail.DKIMSignAlgorithm;
import io.vertx.ext.mail.DKIMSignOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The one place where vertx-mail-client's {@link MailConfig} becomes migo's {@link SmtpClientOptions} and
 * {@link PoolOptions}. Every getter of MailConfig and of its {@link NetClientOptions} base is either mapped here or
 * refused with an {@link IllegalArgumentException} that names the option and says why: an option that was set and
 * silently ignored would change what the application asked for (a proxy bypassed, a client certificate not sent)
 * without anyone noticing.
 *
 * <p>The NetClientOptions part is checked generically: what remains after the mapped settings are reset is compared
 * with a default NetClientOptions, field by field, so that a setting added to Vert.x later is refused too rather
 * than dropped.
 */
public final class MailConfigMapper {

  /** Why a NetClientOptions setting that migo does not take is refused, by its JSON name. */
  private static final Map<String, String> NET_REASONS = Map.ofEntries(
    Map.entry("logActivity", "wire logging would write the AUTH exchange (the credentials) to the log; migo has no "
      + "wire log"),
    Map.entry("activityLogDataFormat", "it only matters with logActivity, which migo does not support"),
    Map.entry("enabledCipherSuites", tlsDefaults()),
    Map.entry("enabledSecureTransportProtocols", tlsDefaults()),
    Map.entry("crlPaths", tlsDefaults()),
    Map.entry("crlValues", tlsDefaults()),
    Map.entry("useAlpn", "SMTP does not negotiate ALPN"),
    Map.entry("sslHandshakeTimeout", "migo bounds the TCP connect and each TLS handshake by one timeout: set "
      + "connectTimeout instead"),
    Map.entry("sslHandshakeTimeoutUnit", "migo bounds the TCP connect and each TLS handshake by one timeout: set "
      + "connectTimeout instead"),
    Map.entry("reconnectAttempts", "migo tries a message again by its RetryPolicy (transient failures), not by "
      + "reconnect attempts"),
    Map.entry("reconnectInterval", "migo tries a message again by its RetryPolicy (transient failures), not by "
      + "reconnect attempts"),
    Map.entry("metricsName", "migo reports through SmtpClientOptions.setMetrics (e.g. the migo-smtp-micrometer "
      + "module), not Vert.x TCP metrics"),
    Map.entry("tcpNoDelay", "migo always sets TCP_NODELAY: its commands are small and pipelined"));

  private MailConfigMapper() {
  }

  /**
   * Maps {@code config} (not changed; vertx-mail-client's own client would have changed it) and, when not
   * {@code null}, the builder's credentials supplier, which wins over a username and password as in
   * vertx-mail-client.
   *
   * @throws IllegalArgumentException naming the first option that cannot be mapped, and why
   */
  public static MappedConfig map(MailConfig config,
                                 Supplier<Future<UsernamePasswordCredentials>> credentialsSupplier) {
    Objects.requireNonNull(config, "config");
    SmtpClientOptions options = new SmtpClientOptions();
    PoolOptions pool = new PoolOptions();
    address(config, options);
    tls(config, options);
    trust(config, options);
    keyCertAndProxy(config, options);
    login(config, credentialsSupplier, options);
    ehlo(config, options);
    timeouts(config, options);
    pool(config, pool);
    transaction(config, options);
    dkim(config, options);
    ntlm(config);
    netOptions(config);
    MailConfig encoderConfig = new MailConfig(config);
    return new MappedConfig(options, pool, encoderConfig, messageHostname(config));
  }

  private static void address(MailConfig config, SmtpClientOptions options) {
    if (config.getHostname() == null || config.getHostname().isEmpty()) {
      throw refuse("hostname", "no SMTP server host name is set");
    }
    if (config.getPort() < 1 || config.getPort() > 65535) {
      throw refuse("port", "must be 1..65535, not " + config.getPort());
    }
    options.setHost(config.getHostname()).setPort(config.getPort());
  }

  /**
   * {@code ssl} is TLS from the first byte, whatever {@code starttls} says (vertx-mail-client skips STARTTLS on a
   * TLS connection); otherwise {@code starttls} is the mode. OPTIONAL keeps migo's rule that a STARTTLS the server
   * offered and then failed never falls back to clear text.
   */
  private static void tls(MailConfig config, SmtpClientOptions options) {
    if (config.isSsl()) {
      options.setTlsMode(TlsMode.IMPLICIT);
      return;
    }
    if (config.getStarttls() == null) {
      throw refuse("starttls", "is null; use DISABLED, OPTIONAL or REQUIRED");
    }
    options.setTlsMode(switch (config.getStarttls()) {
      case DISABLED -> TlsMode.NONE;
      case OPTIONAL -> TlsMode.STARTTLS_OPTIONAL;
      case REQUIRED -> TlsMode.STARTTLS_REQUIRED;
    });
  }

  /**
   * Trust options of any kind (PEM, JKS, PKCS#12) pass through. vertx-mail-client verifies host names ("HTTPS")
   * unless trustAll is set, also when the algorithm is left empty; migo does the same, and takes no other algorithm.
   */
  private static void trust(MailConfig config, SmtpClientOptions options) {
    String algorithm = config.getHostnameVerificationAlgorithm();
    if (algorithm != null && !algorithm.isEmpty() && !algorithm.equalsIgnoreCase("HTTPS")) {
      throw refuse("hostnameVerificationAlgorithm", "migo verifies server host names by the HTTPS rules "
        + "(RFC 2818 / RFC 6125) only, not " + algorithm + "; leave it empty or set HTTPS");
    }
    options.setTrustAll(config.isTrustAll()).setVerifyHostname(!config.isTrustAll());
    if (config.getTrustOptions() != null) {
      options.setTrustOptions(config.getTrustOptions().copy());
    }
  }

  /**
   * A client certificate (PEM, JKS, PKCS#12) and a proxy (SOCKS5, SOCKS4, HTTP CONNECT) pass through as migo's own
   * options (each copied there); TLS runs through the proxy to the relay, whose name the certificate must carry.
   */
  private static void keyCertAndProxy(MailConfig config, SmtpClientOptions options) {
    options.setKeyCertOptions(config.getKeyCertOptions());
    options.setProxyOptions(config.getProxyOptions());
  }

  /**
   * vertx-mail-client's login modes: DISABLED never authenticates; NONE authenticates when credentials are given;
   * REQUIRED needs them; XOAUTH2 authenticates with the password as an OAuth 2.0 token. One difference on purpose:
   * with credentials given, migo fails the send when no allowed mechanism can be used instead of sending without AUTH,
   * and it never sends a password in clear (it refuses such a configuration here).
   */
  private static void login(MailConfig config, Supplier<Future<UsernamePasswordCredentials>> supplier,
                            SmtpClientOptions options) {
    LoginOption login = config.getLogin();
    if (login == null) {
      throw refuse("login", "is null; use DISABLED, NONE, REQUIRED or XOAUTH2");
    }
    Set<AuthMechanism> allowed = authMethods(config.getAuthMethods());
    if (login == LoginOption.DISABLED) {
      return;
    }
    boolean fixed = config.getUsername() != null || config.getPassword() != null;
    if (supplier == null && config.getUsername() == null && config.getPassword() != null) {
      throw refuse("username", "a password is set without a username; set both, or neither");
    }
    if (supplier == null && config.getUsername() != null && config.getPassword() == null) {
      throw refuse("password", "a username is set without a password; set both, or neither");
    }
    if (login == LoginOption.XOAUTH2) {
      if (allowed != null && !allowed.contains(AuthMechanism.XOAUTH2)) {
        throw refuse("authMethods", "login is XOAUTH2 but authMethods (" + config.getAuthMethods()
          + ") does not list XOAUTH2");
      }
      allowed = EnumSet.of(AuthMechanism.XOAUTH2);
    }
    if (supplier == null && !fixed) {
      if (login != LoginOption.NONE) {
        throw refuse("login", "is " + login + " but neither a username and password nor a credentials supplier "
          + "is set");
      }
      return;
    }
    options.setCredentialsSupplier(supplier != null ? credentials(supplier)
      : fixedCredentials(new Credentials(config.getUsername(), config.getPassword())));
    if (allowed != null) {
      options.setAuthMechanisms(allowed);
    }
    if (options.getTlsMode() == TlsMode.NONE
      && options.getAuthMechanisms().stream().allMatch(AuthMechanism::revealsSecret)) {
      throw refuse("login", "credentials are set, but with starttls DISABLED and ssl off every allowed AUTH "
        + "mechanism (" + names(options.getAuthMechanisms()) + ") would send the secret in clear, which migo "
        + "refuses; use ssl=true or starttls OPTIONAL/REQUIRED, or allow CRAM-MD5 in authMethods");
    }
  }

  /**
   * vertx-mail-client's space-separated mechanism names; {@code null} for "not set" (migo's defaults). A name migo
   * does not implement is refused even among others: the application asked for it and would not get it.
   */
  private static Set<AuthMechanism> authMethods(String authMethods) {
    if (authMethods == null || authMethods.isBlank()) {
      return null;
    }
    Set<AuthMechanism> set = EnumSet.noneOf(AuthMechanism.class);
    for (String name : authMethods.trim().split("\\s+")) {
      AuthMechanism mechanism = AuthMechanism.fromSaslName(name);
      if (mechanism == null) {
        throw refuse("authMethods", name + " is not a mechanism migo implements (it has "
          + names(EnumSet.allOf(AuthMechanism.class)) + ")");
      }
      set.add(mechanism);
    }
    return set;
  }

  private static Supplier<Future<Credentials>> credentials(Supplier<Future<UsernamePasswordCredentials>> supplier) {
    return () -> supplier.get().map(MailConfigMapper::toCredentials);
  }

  private static Credentials toCredentials(UsernamePasswordCredentials c) {
    if (c == null || c.getUsername() == null || c.getPassword() == null) {
      throw new IllegalArgumentException("the credentials supplier gave no username or no password");
    }
    return new Credentials(c.getUsername(), c.getPassword());
  }

  private static Supplier<Future<Credentials>> fixedCredentials(Credentials credentials) {
    Future<Credentials> fixed = Future.succeededFuture(credentials);
    return () -> fixed;
  }

  /** migo always begins with EHLO and falls back to HELO when the server refuses it, so HELO-only is not needed. */
  private static void ehlo(MailConfig config, SmtpClientOptions options) {
    String own = config.getOwnHostname();
    if (own != null) {
      if (!EhloNames.isValid(own)) {
        throw refuse("ownHostname", "must be a domain or an address literal such as [192.0.2.1] (RFC 5321 §4.1.3): "
          + own.replaceAll("\\p{Cntrl}", "?"));
      }
      options.setEhloName(own);
    }
    if (config.isDisableEsmtp()) {
      throw refuse("disableEsmtp", "migo always sends EHLO and falls back to HELO when the server refuses it; "
        + "HELO alone would give up STARTTLS and AUTH. Leave it false");
    }
  }

  /**
   * connectTimeout bounds the connect (and, in migo, each TLS handshake). The socket idle timeouts of
   * NetClientOptions close a connection on which nothing moved for that long: in migo that is the wait for the
   * greeting and for each reply (commandTimeout, dataTimeout), and for a pooled session its idle time.
   */
  private static void timeouts(MailConfig config, SmtpClientOptions options) {
    if (config.getConnectTimeout() <= 0) {
      throw refuse("connectTimeout", "migo needs a positive connect timeout, not " + config.getConnectTimeout());
    }
    options.setConnectTimeout(Duration.ofMillis(config.getConnectTimeout()));
    Duration idle = socketIdle(config);
    if (idle != null) {
      options.setGreetingTimeout(idle).setSilentGreetingTimeout(min(idle, options.getSilentGreetingTimeout()))
        .setCommandTimeout(idle).setDataTimeout(idle);
    }
  }

  private static Duration socketIdle(MailConfig config) {
    TimeUnit unit = config.getIdleTimeoutUnit() == null ? TimeUnit.SECONDS : config.getIdleTimeoutUnit();
    long shortest = Arrays.stream(new long[]{config.getIdleTimeout(), config.getReadIdleTimeout(),
      config.getWriteIdleTimeout()}).filter(t -> t > 0).min().orElse(0);
    return shortest > 0 ? Duration.ofMillis(Math.max(1, unit.toMillis(shortest))) : null;
  }

  /**
   * The pool: its size; keepAlive=false as one message per connection; maxMailsPerConnection (-1 or 0: no limit, as
   * in vertx-mail-client, where migo's own default is 1,000); keepAliveTimeout as the idle timeout (0: none); a pool
   * cleaner period of 0 or less keeps idle connections until closed. migo times each session itself, so the
   * cleaner's period has nothing else to set. A socket idle timeout (see {@link #timeouts}) closes an idle pooled
   * connection too: whichever of the two comes first is the idle timeout.
   */
  private static void pool(MailConfig config, PoolOptions pool) {
    if (config.getMaxPoolSize() < 1) {
      throw refuse("maxPoolSize", "must be at least 1, not " + config.getMaxPoolSize());
    }
    pool.setMaxSize(config.getMaxPoolSize());
    long perConnection = config.getMaxMailsPerConnection();
    if (perConnection > Integer.MAX_VALUE) {
      throw refuse("maxMailsPerConnection", "must be at most " + Integer.MAX_VALUE + " (or -1 for no limit)");
    }
    pool.setMaxMessagesPerSession(!config.isKeepAlive() ? 1 : perConnection > 0 ? (int) perConnection : 0);
    Duration keepAlive = config.getKeepAliveTimeout() == 0 || config.getPoolCleanerPeriod() <= 0 ? Duration.ZERO
      : Duration.ofMillis(unitOrSeconds(config.getKeepAliveTimeoutUnit()).toMillis(config.getKeepAliveTimeout()));
    Duration socketIdle = socketIdle(config);
    pool.setIdleTimeout(socketIdle == null ? keepAlive : keepAlive.isZero() ? socketIdle : min(keepAlive, socketIdle));
  }

  /**
   * allowRcptErrors=false (the default) fails the whole message when any recipient is refused, as vertx-mail-client
   * does; true sends it to the accepted ones and lists only those in the MailResult.
   */
  private static void transaction(MailConfig config, SmtpClientOptions options) {
    options.setPipelining(config.isPipelining());
    options.setFailOnRejectedRecipients(!config.isAllowRcptErrors());
  }

  /**
   * {@code enableDKIM} with one {@link DKIMSignOptions} becomes migo's {@link DkimOptions}, which signs the same way:
   * rsa-sha256 with the key (PKCS#8, inline base64 or a PEM file), sdid, selector, auid, both canonicalizations,
   * the signed headers (a name listed twice is over-signed), the timestamp and the expiry. From is over-signed as
   * well, as migo always does: a verifier accepts it, and no From can be added under the signature. What migo does not
   * offer is refused: several signatures per message, rsa-sha1 (obsolete, RFC 8301), {@code l=} (lets anyone append
   * content under the signature) and {@code z=}.
   */
  private static void dkim(MailConfig config, SmtpClientOptions options) {
    if (!config.isEnableDKIM()) {
      return;
    }
    List<DKIMSignOptions> all = config.getDKIMSignOptions();
    if (all == null || all.isEmpty()) {
      throw refuse("enableDKIM", "no DKIMSignOptions were given (addDKIMSignOption), so there is nothing to sign with");
    }
    if (all.size() > 1) {
      throw refuse("dkimSignOptions", "migo signs each message once, with one key; create one MigoMailClient per "
        + "signing domain instead of " + all.size() + " DKIMSignOptions");
    }
    DKIMSignOptions sign = all.get(0);
    if (sign.getSignAlgo() != DKIMSignAlgorithm.RSA_SHA256) {
      throw refuse("dkimSignOptions.signAlgo", sign.getSignAlgo() + " is obsolete (RFC 8301): use RSA_SHA256");
    }
    if (sign.getBodyLimit() >= 0) {
      throw refuse("dkimSignOptions.bodyLimit", "l= lets anyone append content under the signature; migo signs the "
        + "whole body");
    }
    if (sign.getCopiedHeaders() != null && !sign.getCopiedHeaders().isEmpty()) {
      throw refuse("dkimSignOptions.copiedHeaders", "z= (copied header fields) is not offered");
    }
    try {
      options.setDkim(dkimOptions(sign));
    } catch (IllegalArgumentException e) {
      throw refuse("dkimSignOptions", e.getMessage());
    }
  }

  private static DkimOptions dkimOptions(DKIMSignOptions sign) {
    DkimOptions dkim = new DkimOptions().setDomain(sign.getSdid()).setSelector(sign.getSelector())
      .setAlgorithm(DkimAlgorithm.RSA_SHA256)
      .setCanonicalization(canonicalization(sign.getHeaderCanonAlgo()), canonicalization(sign.getBodyCanonAlgo()))
      .setIdentity(sign.getAuid())
      .setTimestamp(sign.isSignatureTimestamp() || sign.getExpireTime() > 0)
      .setExpiration(sign.getExpireTime() > 0 ? Duration.ofSeconds(sign.getExpireTime()) : null);
    if (sign.getPrivateKey() != null) {
      dkim.setPrivateKeyPem("-----BEGIN PRIVATE KEY-----\n" + sign.getPrivateKey().strip() + "\n-----END PRIVATE KEY-----\n");
    } else if (sign.getPrivateKeyPath() != null) {
      dkim.setPrivateKeyPath(Path.of(sign.getPrivateKeyPath()));
    }
    List<String> signed = new ArrayList<>();
    Set<String> overSigned = new LinkedHashSet<>(DkimOptions.DEFAULT_OVER_SIGNED_HEADERS);
    for (String name : sign.getSignedHeaders()) {
      if (signed.stream().anyMatch(name::equalsIgnoreCase)) {
        overSigned.add(name);
      } else {
        signed.add(name);
      }
    }
    return dkim.setSignedHeaders(signed).setOverSignedHeaders(new ArrayList<>(overSigned)).validate();
  }

  private static DkimCanonicalization canonicalization(CanonicalizationAlgorithm algorithm) {
    return algorithm == CanonicalizationAlgorithm.RELAXED ? DkimCanonicalization.RELAXED : DkimCanonicalization.SIMPLE;
  }

  private static void ntlm(MailConfig config) {
    if (config.getNtDomain() != null) {
      throw refuse("ntDomain", "it is for NTLM authentication, which migo does not implement");
    }
    if (config.getWorkstation() != null) {
      throw refuse("workstation", "it is for NTLM authentication, which migo does not implement");
    }
  }

  /**
   * The NetClientOptions base: what the mapping above used is reset on a copy, and whatever still differs from a
   * default NetClientOptions is refused; the settings with a reason of their own are named first.
   */
  private static void netOptions(MailConfig config) {
    if (config.getNonProxyHosts() != null && !config.getNonProxyHosts().isEmpty()) {
      throw refuse("nonProxyHosts", "migo sends to one relay (and its failovers) through the proxy or without it; "
        + "set proxyOptions or not, not a list of exceptions");
    }
    if (config.getSslEngineOptions() != null && !(config.getSslEngineOptions() instanceof JdkSSLEngineOptions)) {
      throw refuse("sslEngineOptions", "migo uses the JDK's TLS engine; "
        + config.getSslEngineOptions().getClass().getSimpleName() + " is not supported yet");
    }
    if (config.getLocalAddress() != null) {
      throw refuse("localAddress", "migo does not bind connections to a local address");
    }
    NetClientOptions rest = new NetClientOptions(config)
      .setSsl(false)
      .setTrustAll(false)
      .setTrustOptions(null)
      .setKeyCertOptions(null)
      .setProxyOptions(null)
      .setSslEngineOptions(null)
      .setHostnameVerificationAlgorithm(new NetClientOptions().getHostnameVerificationAlgorithm())
      .setConnectTimeout(NetClientOptions.DEFAULT_CONNECT_TIMEOUT)
      .setIdleTimeout(0)
      .setReadIdleTimeout(0)
      .setWriteIdleTimeout(0)
      .setIdleTimeoutUnit(NetClientOptions.DEFAULT_IDLE_TIMEOUT_TIME_UNIT);
    JsonObject actual = rest.toJson();
    JsonObject defaults = new NetClientOptions().toJson();
    Set<String> keys = new TreeSet<>(actual.fieldNames());
    keys.addAll(defaults.fieldNames());
    for (String key : keys) {
      if (!Objects.equals(actual.getValue(key), defaults.getValue(key))) {
        throw refuse(key, NET_REASONS.getOrDefault(key, "migo opens its connections with Vert.x's default TCP "
          + "settings (plus TCP_NODELAY) and has no option for this"));
      }
    }
  }

  /** Host name for Message-IDs and boundaries: ownHostname, else the local host name, as migo's own client uses. */
  private static String messageHostname(MailConfig config) {
    if (config.getOwnHostname() != null) {
      return config.getOwnHostname();
    }
    try {
      String local = InetAddress.getLocalHost().getHostName();
      return EhloNames.isValid(local) ? local : "localhost";
    } catch (Exception e) {
      return "localhost";
    }
  }

  private static TimeUnit unitOrSeconds(TimeUnit unit) {
    return unit == null ? TimeUnit.SECONDS : unit;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String names(Set<AuthMechanism> mechanisms) {
    return mechanisms.stream().sorted().map(AuthMechanism::saslName).collect(Collectors.joining(", "));
  }

  private static String tlsDefaults() {
    return "migo uses the JDK's TLS defaults (TLSv1.2 and TLSv1.3, its cipher suites, no CRLs) and has no option "
      + "for this yet";
  }

  private static IllegalArgumentException refuse(String option, String why) {
    return new IllegalArgumentException("MailConfig option " + option + " cannot be used with MigoMailClient: " + why);
  }
}
