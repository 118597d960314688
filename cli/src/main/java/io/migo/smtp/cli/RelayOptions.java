package io.migo.smtp.cli;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.MailProtocol;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.TlsEngine;
import io.migo.smtp.TlsMode;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ProxyOptions;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The relay a command talks to and how: host and port (or a Unix socket), SMTP or LMTP, TLS, trust, client
 * certificate, proxy, credentials, SASL mechanism and timeouts. A picocli mixin, so that {@code send} and
 * {@code bulk} share one definition of each option, one set of checks and one way of turning them into
 * {@link SmtpClientOptions}. Orders 10-29 and 60-69 are the mixin's in the help (see
 * {@link SendCommand}); a command numbers its own options around them.
 */
final class RelayOptions {

  /** The command this mixin belongs to, for usage errors that name it. */
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = "--host", order = 10, paramLabel = "HOST", defaultValue = SmtpClientOptions.DEFAULT_HOST,
    description = "Relay host name (default: ${DEFAULT-VALUE}). Certificates are checked against it.")
  String host;

  @Option(names = "--port", order = 11, paramLabel = "PORT",
    description = "Relay port (default: 465 with --tls implicit, 24 with --protocol lmtp, else 587).")
  Integer port;

  // No picocli default: left unset, the library picks implicit TLS for port 465 and STARTTLS otherwise (RFC 8314).
  @Option(names = "--tls", order = 12, paramLabel = "MODE",
    converter = Converters.TlsModeConverter.class, completionCandidates = Converters.TlsModeCandidates.class,
    description = "TLS policy: ${COMPLETION-CANDIDATES} (default: implicit on port 465, else starttls). starttls "
      + "requires STARTTLS; starttls-optional goes on in clear when the server does not offer it; implicit is TLS "
      + "from the first byte.")
  TlsMode tls;

  @ArgGroup(exclusive = true)
  Trust trust;

  static final class Trust {
    @Option(names = "--ca-cert", order = 13, paramLabel = "FILE", required = true,
      description = "Trust the CA certificate(s) in this PEM file instead of the JVM's trust store.")
    Path caCert;

    @Option(names = "--trust-all", order = 14, required = true,
      description = "Accept any server certificate (throw-away test servers only). Host names are still verified.")
    boolean trustAll;
  }

  @Option(names = "--tls-engine", order = 14, paramLabel = "ENGINE", converter = TlsEngineConverter.class,
    description = "TLS implementation: auto (default: OpenSSL, which this jar bundles, when it loads on this "
      + "platform, else the JDK's), jdk, or openssl (fails when it cannot load).")
  TlsEngine tlsEngine;

  /** {@code --tls-engine}: auto, jdk or openssl, case-insensitive. */
  static final class TlsEngineConverter implements CommandLine.ITypeConverter<TlsEngine> {
    @Override
    public TlsEngine convert(String value) {
      try {
        return TlsEngine.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("expected auto, jdk or openssl but was '" + value + "'");
      }
    }
  }

  @Option(names = "--allow-plaintext-auth", order = 15,
    description = "Allow PLAIN, LOGIN, OAUTHBEARER and XOAUTH2 over a connection without TLS.")
  boolean allowPlaintextAuth;

  @Option(names = "--user", order = 16, paramLabel = "USER", description = "User name to authenticate as.")
  String user;

  @ArgGroup(exclusive = true)
  Secret secret;

  static final class Secret {
    @Option(names = "--password", order = 17, paramLabel = "PASSWORD", required = true,
      description = "Password (visible to other local users in the process list: prefer --password-env).")
    String password;

    @Option(names = "--password-env", order = 18, paramLabel = "VAR", required = true,
      description = "Read the password from environment variable VAR.")
    String passwordEnv;

    @Option(names = "--oauth-token-env", order = 19, paramLabel = "VAR", required = true,
      description = "Authenticate with OAUTHBEARER or XOAUTH2 (OAUTHBEARER when the server offers both), the OAuth 2.0 "
        + "access token read from environment variable VAR.")
    String oauthTokenEnv;
  }

  /** The mechanisms whose secret is an OAuth 2.0 access token rather than a password. */
  private static final Set<AuthMechanism> TOKEN_MECHANISMS = Set.of(AuthMechanism.OAUTHBEARER, AuthMechanism.XOAUTH2);

  @Option(names = "--auth", order = 20, paramLabel = "MECHANISM",
    converter = Converters.AuthMechanismConverter.class,
    completionCandidates = Converters.AuthMechanismCandidates.class,
    description = "Use only this SASL mechanism: ${COMPLETION-CANDIDATES} (default: the best one both sides offer).")
  AuthMechanism auth;

  @Option(names = "--client-cert", order = 21, paramLabel = "FILE",
    description = "Present this PEM client certificate (chain) to relays that authenticate clients by certificate; "
      + "needs --client-key.")
  Path clientCert;

  @Option(names = "--client-key", order = 22, paramLabel = "FILE",
    description = "The PEM private key (PKCS#8 or PKCS#1) of --client-cert.")
  Path clientKey;

  @Option(names = "--client-keystore", order = 23, paramLabel = "FILE",
    description = "Present the client certificate and key in this PKCS#12 file (.p12/.pfx) instead.")
  Path clientKeystore;

  @ArgGroup(exclusive = true)
  KeystoreSecret keystoreSecret;

  static final class KeystoreSecret {
    @Option(names = "--client-keystore-password", order = 24, paramLabel = "PASSWORD", required = true,
      description = "Password of --client-keystore (visible in the process list: prefer "
        + "--client-keystore-password-env).")
    String password;

    @Option(names = "--client-keystore-password-env", order = 25, paramLabel = "VAR", required = true,
      description = "Read the password of --client-keystore from environment variable VAR.")
    String passwordEnv;
  }

  @Option(names = "--proxy", order = 26, paramLabel = "URL", converter = ProxyUrl.Converter.class,
    description = "Connect through this proxy: " + ProxyUrl.FORMS + " (HTTP CONNECT). TLS runs end to end and the "
      + "certificate is checked against --host, not the proxy. The password is never printed.")
  ProxyOptions proxy;

  @Option(names = "--proxy-password-env", order = 27, paramLabel = "VAR",
    description = "Read the proxy password from environment variable VAR (the URL then gives user@ without a "
      + "password, which keeps it out of the process list).")
  String proxyPasswordEnv;

  @Option(names = "--protocol", order = 28, paramLabel = "PROTOCOL", defaultValue = "smtp",
    converter = Converters.ProtocolConverter.class, completionCandidates = Converters.ProtocolCandidates.class,
    description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). lmtp (RFC 2033) greets with LHLO and reports "
      + "the LMTP server's reply for each recipient after the data (default port 24).")
  MailProtocol protocol;

  @Option(names = "--socket", order = 29, paramLabel = "PATH",
    description = "Connect to the relay's Unix domain socket PATH instead of --host/--port (e.g. Dovecot's LMTP "
      + "socket). No TLS there unless --tls says so; PLAIN and LOGIN are allowed on it.")
  Path socket;

  @Option(names = "--timeout", order = 60, paramLabel = "DURATION",
    converter = Converters.DurationConverter.class,
    description = TimeoutOption.DESCRIPTION + " (default: 30s to connect, 5m for the greeting and each command's "
      + "reply, 10m for the data).")
  Duration timeout;

  /** What picocli's annotations cannot say about these options: which need each other, ranges, a readable file. */
  void check() {
    if (secret != null && user == null) {
      throw usage("--password, --password-env and --oauth-token-env need --user");
    }
    if (user != null && secret == null) {
      throw usage("--user needs --password, --password-env or --oauth-token-env");
    }
    if (secret != null && secret.oauthTokenEnv != null && auth != null && !TOKEN_MECHANISMS.contains(auth)) {
      throw usage("--oauth-token-env authenticates with OAUTHBEARER or XOAUTH2 and cannot be combined with --auth "
        + auth.saslName());
    }
    if (secret != null && secret.oauthTokenEnv == null && auth != null && TOKEN_MECHANISMS.contains(auth)) {
      throw usage("--auth " + auth.saslName() + " takes an OAuth 2.0 access token, not a password: use "
        + "--oauth-token-env VAR");
    }
    if (socket != null && (port != null || mixee.commandLine().getParseResult().hasMatchedOption("--host"))) {
      throw usage("--socket cannot be combined with --host or --port: the socket is the relay's address");
    }
    if (socket != null && proxy != null) {
      throw usage("--socket cannot be combined with --proxy: a Unix socket is on this machine");
    }
    if (port != null && (port < 1 || port > 65535)) {
      throw usage("--port must be between 1 and 65535, was " + port);
    }
    if (trust != null && trust.caCert != null && !Files.isReadable(trust.caCert)) {
      throw usage("--ca-cert file is not readable: " + trust.caCert);
    }
    String certificate = ClientCertificate.problem(clientCert, clientKey, clientKeystore, keystoreSecret != null);
    if (certificate != null) {
      throw usage(certificate);
    }
    if (proxyPasswordEnv != null && (proxy == null || proxy.getUsername() == null)) {
      throw usage("--proxy-password-env needs --proxy with a user name (socks5://user@host:port or "
        + "http://user@host:port)");
    }
    if (proxy != null && proxy.getUsername() != null && proxy.getPassword() == null && proxyPasswordEnv == null) {
      throw usage("--proxy names the user " + proxy.getUsername() + " but no password: give "
        + "user:password@ in the URL or --proxy-password-env VAR");
    }
  }

  /**
   * Fresh client options for these arguments; secrets named by {@code --password-env} and {@code --oauth-token-env}
   * are looked up in {@code environment}.
   */
  SmtpClientOptions clientOptions(Function<String, String> environment) {
    SmtpClientOptions options = new SmtpClientOptions()
      .setHost(host)
      .setAllowPlaintextAuth(allowPlaintextAuth)
      .setProtocol(protocol);
    if (socket != null) {
      options.setUnixSocket(socket.toString());
    }
    if (tls != null) {
      options.setTlsMode(tls);
    }
    if (port != null) {
      options.setPort(port);
    }
    if (trust != null && trust.caCert != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(trust.caCert.toString()));
    }
    if (trust != null && trust.trustAll) {
      options.setTrustAll(true);
    }
    if (tlsEngine != null) {
      options.setTlsEngine(tlsEngine);
    }
    if (secret != null) {
      applyCredentials(options, environment);
    }
    if (auth != null) {
      options.setAuthMechanisms(Set.of(auth));
    }
    options.setKeyCertOptions(ClientCertificate.options(clientCert, clientKey, clientKeystore,
      keystorePassword(environment)));
    if (proxy != null) {
      options.setProxyOptions(proxyOptions(environment));
    }
    return TimeoutOption.applyTo(options, timeout);
  }

  private String keystorePassword(Function<String, String> environment) {
    if (keystoreSecret == null) {
      return null;
    }
    return keystoreSecret.passwordEnv != null
      ? fromEnvironment(environment, keystoreSecret.passwordEnv, "--client-keystore-password-env")
      : keystoreSecret.password;
  }

  /** The proxy of {@code --proxy}, with the password from {@code --proxy-password-env} when that is given. */
  private ProxyOptions proxyOptions(Function<String, String> environment) {
    ProxyOptions options = new ProxyOptions(proxy);
    if (proxyPasswordEnv != null) {
      options.setPassword(fromEnvironment(environment, proxyPasswordEnv, "--proxy-password-env"));
    }
    return options;
  }

  private void applyCredentials(SmtpClientOptions options, Function<String, String> environment) {
    if (secret.oauthTokenEnv != null) {
      options.setCredentials(user, fromEnvironment(environment, secret.oauthTokenEnv, "--oauth-token-env"));
      // A token only works with the token mechanisms, which the client does not allow by default.
      options.setAuthMechanisms(TOKEN_MECHANISMS);
    } else if (secret.passwordEnv != null) {
      options.setCredentials(user, fromEnvironment(environment, secret.passwordEnv, "--password-env"));
    } else {
      options.setCredentials(user, secret.password);
    }
  }

  /** The value is a secret: errors name the variable, never show what it holds. */
  private String fromEnvironment(Function<String, String> environment, String variable, String option) {
    String value = environment.apply(variable);
    if (value == null) {
      throw usage(option + ": environment variable " + variable + " is not set");
    }
    if (value.isEmpty()) {
      throw usage(option + ": environment variable " + variable + " is empty");
    }
    return value;
  }

  private ParameterException usage(String message) {
    return new ParameterException(mixee.commandLine(), message);
  }
}
