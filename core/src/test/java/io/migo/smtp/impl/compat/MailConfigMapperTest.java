package io.migo.smtp.impl.compat;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.TlsMode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.mail.DKIMSignOptions;
import io.migo.smtp.DkimAlgorithm;
import io.migo.smtp.DkimCanonicalization;
import io.migo.smtp.DkimOptions;
import io.vertx.ext.mail.CanonicalizationAlgorithm;
import io.vertx.ext.mail.DKIMSignAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.io.TempDir;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One test per MailConfig option (and NetClientOptions setting): mapped to what, or refused with which reason. */
class MailConfigMapperTest {

  private static MappedConfig map(MailConfig config) {
    return MailConfigMapper.map(config, null);
  }

  private static SmtpClientOptions options(MailConfig config) {
    return map(config).options();
  }

  private static PoolOptions pool(MailConfig config) {
    return map(config).poolOptions();
  }

  private static Credentials credentialsOf(SmtpClientOptions options) {
    Future<Credentials> f = options.getCredentialsSupplier().get();
    assertThat(f.succeeded()).isTrue();
    return f.result();
  }

  // --- the defaults -----------------------------------------------------------------------------------------------

  @Test
  void defaultsAreVertxMailClientsDefaults() {
    SmtpClientOptions o = options(new MailConfig());
    assertThat(o.getHost()).isEqualTo("localhost");
    assertThat(o.getPort()).isEqualTo(25);
    assertThat(o.getTlsMode()).isEqualTo(TlsMode.STARTTLS_OPTIONAL);
    assertThat(o.hasCredentials()).isFalse();
    assertThat(o.isTrustAll()).isFalse();
    assertThat(o.isVerifyHostname()).isTrue();
    assertThat(o.isPipelining()).isTrue();
    assertThat(o.isFailOnRejectedRecipients()).isTrue();
    assertThat(o.getConnectTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.getCommandTimeout()).isEqualTo(SmtpClientOptions.DEFAULT_COMMAND_TIMEOUT);
    PoolOptions p = pool(new MailConfig());
    assertThat(p.getMaxSize()).isEqualTo(10);
    assertThat(p.getMaxMessagesPerSession()).isZero();
    assertThat(p.getIdleTimeout()).isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void theCallersConfigIsNotChangedAndTheEncoderGetsACopy() {
    MailConfig config = new MailConfig().setUserAgent("myagent").setMultiPartOnly(true);
    JsonObject before = config.toJson();
    MappedConfig mapped = map(config);
    assertThat(config.toJson()).isEqualTo(before);
    assertThat(config.getHostnameVerificationAlgorithm()).isEmpty();
    assertThat(mapped.encoderConfig()).isNotSameAs(config);
    assertThat(mapped.encoderConfig().getUserAgent()).isEqualTo("myagent");
    assertThat(mapped.encoderConfig().isMultiPartOnly()).isTrue();
  }

  // --- address ----------------------------------------------------------------------------------------------------

  @Test
  void hostnameAndPort() {
    SmtpClientOptions o = options(new MailConfig("smtp.example.test", 2525));
    assertThat(o.getHost()).isEqualTo("smtp.example.test");
    assertThat(o.getPort()).isEqualTo(2525);
  }

  @Test
  void port465WithoutSslStaysStarttlsAsInVertxMailClient() {
    assertThat(options(new MailConfig("h", 465)).getTlsMode()).isEqualTo(TlsMode.STARTTLS_OPTIONAL);
  }

  // --- TLS --------------------------------------------------------------------------------------------------------

  @Test
  void starttlsModes() {
    assertThat(options(new MailConfig().setStarttls(StartTLSOptions.DISABLED)).getTlsMode()).isEqualTo(TlsMode.NONE);
    assertThat(options(new MailConfig().setStarttls(StartTLSOptions.OPTIONAL)).getTlsMode())
      .isEqualTo(TlsMode.STARTTLS_OPTIONAL);
    assertThat(options(new MailConfig().setStarttls(StartTLSOptions.REQUIRED)).getTlsMode())
      .isEqualTo(TlsMode.STARTTLS_REQUIRED);
  }

  @Test
  void sslIsImplicitTlsWhateverStarttlsSays() {
    for (StartTLSOptions starttls : StartTLSOptions.values()) {
      assertThat(options(new MailConfig("h", 465).setSsl(true).setStarttls(starttls)).getTlsMode())
        .isEqualTo(TlsMode.IMPLICIT);
    }
  }

  @Test
  void trustAllAlsoDropsTheHostNameCheckAsInVertxMailClient() {
    SmtpClientOptions o = options(new MailConfig().setTrustAll(true));
    assertThat(o.isTrustAll()).isTrue();
    assertThat(o.isVerifyHostname()).isFalse();
  }

  static Stream<TrustOptions> trustOptions() {
    return Stream.of(new PemTrustOptions().addCertPath("ca.pem"),
      new JksOptions().setPath("trust.jks").setPassword("changeit"),
      new PfxOptions().setPath("trust.p12").setPassword("changeit"));
  }

  @ParameterizedTest
  @MethodSource("trustOptions")
  void trustOptionsOfEveryKindPassThroughAsACopy(TrustOptions trust) {
    MailConfig config = new MailConfig().setTrustOptions(trust);
    TrustOptions mapped = options(config).getTrustOptions();
    assertThat(mapped).isInstanceOf(trust.getClass()).isNotSameAs(config.getTrustOptions());
    assertThat(options(config).isVerifyHostname()).isTrue();
  }

  static Stream<KeyCertOptions> keyCertOptions() {
    return Stream.of(new PemKeyCertOptions().setCertPath("client.pem").setKeyPath("client.key"),
      new PfxOptions().setPath("client.p12").setPassword("changeit"),
      new JksOptions().setPath("client.jks").setPassword("changeit"));
  }

  @ParameterizedTest
  @MethodSource("keyCertOptions")
  void aClientCertificateOfEveryKindPassesThroughAsACopy(KeyCertOptions keyCert) {
    MailConfig config = new MailConfig().setKeyCertOptions(keyCert);
    KeyCertOptions mapped = options(config).getKeyCertOptions();
    assertThat(mapped).isInstanceOf(keyCert.getClass()).isNotSameAs(config.getKeyCertOptions());
  }

  @Test
  void aProxyPassesThroughWithItsTypeAndCredentials() {
    ProxyOptions proxy = new ProxyOptions().setType(ProxyType.SOCKS5).setHost("127.0.0.1").setPort(1080)
      .setUsername("p").setPassword("proxy-secret");
    ProxyOptions mapped = options(new MailConfig().setProxyOptions(proxy)).getProxyOptions();
    assertThat(mapped.toJson()).isEqualTo(proxy.toJson());
    assertThat(mapped).isNotSameAs(proxy);
  }

  @Test
  void hostnameVerificationHttpsOrEmptyVerifies() {
    assertThat(options(new MailConfig().setHostnameVerificationAlgorithm("HTTPS")).isVerifyHostname()).isTrue();
    assertThat(options(new MailConfig().setHostnameVerificationAlgorithm("")).isVerifyHostname()).isTrue();
  }

  // --- login ------------------------------------------------------------------------------------------------------

  @Test
  void loginNoneWithUsernameAndPasswordAuthenticates() {
    SmtpClientOptions o = options(new MailConfig().setUsername("alice").setPassword("s3cret"));
    Credentials c = credentialsOf(o);
    assertThat(c.username()).isEqualTo("alice");
    assertThat(c.secret()).isEqualTo("s3cret");
    assertThat(o.getAuthMechanisms()).isEqualTo(SmtpClientOptions.DEFAULT_AUTH_MECHANISMS);
  }

  @Test
  void loginNoneWithoutCredentialsDoesNotAuthenticate() {
    assertThat(options(new MailConfig().setLogin(LoginOption.NONE)).hasCredentials()).isFalse();
  }

  @Test
  void loginDisabledNeverAuthenticatesEvenWithCredentials() {
    assertThat(options(new MailConfig().setLogin(LoginOption.DISABLED).setUsername("a").setPassword("p"))
      .hasCredentials()).isFalse();
  }

  @Test
  void loginRequiredWithCredentials() {
    assertThat(options(new MailConfig().setLogin(LoginOption.REQUIRED).setUsername("a").setPassword("p"))
      .hasCredentials()).isTrue();
  }

  @Test
  void loginXoauth2UsesOnlyXoauth2WithThePasswordAsToken() {
    SmtpClientOptions o = options(new MailConfig().setLogin(LoginOption.XOAUTH2).setUsername("a@example.test")
      .setPassword("ya29.token").setStarttls(StartTLSOptions.REQUIRED));
    assertThat(o.getAuthMechanisms()).containsExactly(AuthMechanism.XOAUTH2);
    assertThat(credentialsOf(o).secret()).isEqualTo("ya29.token");
  }

  @Test
  void authMethodsAreParsedFromSpaceSeparatedNames() {
    SmtpClientOptions o = options(new MailConfig().setUsername("a").setPassword("p").setAuthMethods(" cram-md5  PLAIN "));
    assertThat(o.getAuthMechanisms()).containsExactlyInAnyOrder(AuthMechanism.CRAM_MD5, AuthMechanism.PLAIN);
  }

  @Test
  void credentialsSupplierWinsOverUsernameAndPassword() {
    SmtpClientOptions o = MailConfigMapper.map(new MailConfig().setUsername("a").setPassword("p"),
      () -> Future.succeededFuture(new UsernamePasswordCredentials("fresh", "token-2"))).options();
    Credentials c = credentialsOf(o);
    assertThat(c.username()).isEqualTo("fresh");
    assertThat(c.secret()).isEqualTo("token-2");
  }

  @Test
  void credentialsSupplierIsAskedAtEachAuthentication() {
    int[] calls = {0};
    SmtpClientOptions o = MailConfigMapper.map(new MailConfig().setLogin(LoginOption.REQUIRED),
      () -> Future.succeededFuture(new UsernamePasswordCredentials("u", "t" + ++calls[0]))).options();
    assertThat(credentialsOf(o).secret()).isEqualTo("t1");
    assertThat(credentialsOf(o).secret()).isEqualTo("t2");
  }

  @Test
  void aSupplierGivingNoPasswordFailsThatAuthentication() {
    SmtpClientOptions o = MailConfigMapper.map(new MailConfig(),
      () -> Future.succeededFuture(new UsernamePasswordCredentials("u", null))).options();
    Future<Credentials> f = o.getCredentialsSupplier().get();
    assertThat(f.failed()).isTrue();
    assertThat(f.cause()).hasMessageContaining("no password");
  }

  @Test
  void cramMd5AloneMayAuthenticateWithoutTls() {
    SmtpClientOptions o = options(new MailConfig().setStarttls(StartTLSOptions.DISABLED).setUsername("a")
      .setPassword("p"));
    assertThat(o.getAuthMechanisms()).contains(AuthMechanism.CRAM_MD5);
  }

  // --- EHLO, pool, transaction, timeouts --------------------------------------------------------------------------

  @Test
  void ownHostnameIsTheEhloNameAndTheMessageIdHost() {
    MappedConfig m = map(new MailConfig().setOwnHostname("client.example.test"));
    assertThat(m.options().getEhloName()).isEqualTo("client.example.test");
    assertThat(m.messageHostname()).isEqualTo("client.example.test");
  }

  @Test
  void withoutOwnHostnameTheMessageIdHostIsAValidName() {
    assertThat(map(new MailConfig()).messageHostname()).isNotEmpty();
    assertThat(map(new MailConfig()).options().getEhloName()).isNull();
  }

  @Test
  void maxPoolSize() {
    assertThat(pool(new MailConfig().setMaxPoolSize(3)).getMaxSize()).isEqualTo(3);
  }

  @Test
  void keepAliveFalseIsOneMessagePerConnection() {
    assertThat(pool(new MailConfig().setKeepAlive(false)).getMaxMessagesPerSession()).isEqualTo(1);
    assertThat(pool(new MailConfig().setKeepAlive(false).setMaxMailsPerConnection(50)).getMaxMessagesPerSession())
      .isEqualTo(1);
  }

  @Test
  void maxMailsPerConnection() {
    assertThat(pool(new MailConfig().setMaxMailsPerConnection(50)).getMaxMessagesPerSession()).isEqualTo(50);
    assertThat(pool(new MailConfig().setMaxMailsPerConnection(-1)).getMaxMessagesPerSession()).isZero();
    assertThat(pool(new MailConfig().setMaxMailsPerConnection(0)).getMaxMessagesPerSession()).isZero();
  }

  @Test
  void keepAliveTimeoutIsTheIdleTimeoutInItsUnit() {
    assertThat(pool(new MailConfig().setKeepAliveTimeout(2).setKeepAliveTimeoutUnit(TimeUnit.MINUTES))
      .getIdleTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(pool(new MailConfig().setKeepAliveTimeout(0)).getIdleTimeout()).isEqualTo(Duration.ZERO);
  }

  @Test
  void aPoolCleanerPeriodOfZeroKeepsIdleConnections() {
    assertThat(pool(new MailConfig().setPoolCleanerPeriod(0)).getIdleTimeout()).isEqualTo(Duration.ZERO);
    assertThat(pool(new MailConfig().setPoolCleanerPeriod(5).setPoolCleanerPeriodUnit(TimeUnit.SECONDS))
      .getIdleTimeout()).isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void pipelining() {
    assertThat(options(new MailConfig().setPipelining(false)).isPipelining()).isFalse();
    assertThat(options(new MailConfig().setPipelining(true)).isPipelining()).isTrue();
  }

  @Test
  void allowRcptErrorsIsPartialDelivery() {
    assertThat(options(new MailConfig().setAllowRcptErrors(true)).isFailOnRejectedRecipients()).isFalse();
    assertThat(options(new MailConfig().setAllowRcptErrors(false)).isFailOnRejectedRecipients()).isTrue();
  }

  @Test
  void connectTimeout() {
    assertThat(options(new MailConfig().setConnectTimeout(2500)).getConnectTimeout())
      .isEqualTo(Duration.ofMillis(2500));
  }

  @Test
  void socketIdleTimeoutBoundsEveryReplyAndTheIdlePool() {
    MappedConfig m = map(new MailConfig().setIdleTimeout(45).setIdleTimeoutUnit(TimeUnit.SECONDS));
    assertThat(m.options().getGreetingTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(m.options().getCommandTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(m.options().getDataTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(m.options().getSilentGreetingTimeout()).isEqualTo(SmtpClientOptions.DEFAULT_SILENT_GREETING_TIMEOUT);
    assertThat(m.poolOptions().getIdleTimeout()).isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void theShortestOfTheIdleTimeoutsApplies() {
    MailConfig config = new MailConfig().setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    config.setReadIdleTimeout(3000).setWriteIdleTimeout(2000);
    MappedConfig m = map(config);
    assertThat(m.options().getCommandTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(m.options().getSilentGreetingTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aKeepAliveShorterThanTheSocketIdleTimeoutWins() {
    assertThat(pool(new MailConfig().setIdleTimeout(600).setKeepAliveTimeout(30)).getIdleTimeout())
      .isEqualTo(Duration.ofSeconds(30));
    assertThat(pool(new MailConfig().setIdleTimeout(20).setKeepAliveTimeout(0)).getIdleTimeout())
      .isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void userAgentAndMultiPartOnlyGoToTheEncoder() {
    MailConfig encoder = map(new MailConfig().setUserAgent("agent").setMultiPartOnly(true)).encoderConfig();
    assertThat(encoder.getUserAgent()).isEqualTo("agent");
    assertThat(encoder.isMultiPartOnly()).isTrue();
  }

  @Test
  void theJdkEngineExplicitlySetIsFine() {
    assertThat(options(new MailConfig().setSslEngineOptions(new JdkSSLEngineOptions())).getHost())
      .isEqualTo("localhost");
  }

  @Test
  void dkimOptionsWithoutEnableDkimAreUnusedAsInVertxMailClient() {
    assertThat(options(new MailConfig().addDKIMSignOption(new DKIMSignOptions().setSdid("example.test")))
      .getHost()).isEqualTo("localhost");
  }

  private static final String RSA_PKCS8_BASE64 = rsaKeyBase64();

  private static String rsaKeyBase64() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static DKIMSignOptions dkimSign() {
    return new DKIMSignOptions().setSdid("example.test").setSelector("s1").setPrivateKey(RSA_PKCS8_BASE64);
  }

  @Test
  void dkimSignOptionsBecomeMigosSigning() {
    DKIMSignOptions sign = dkimSign().setAuid("news@mail.example.test")
      .setHeaderCanonAlgo(CanonicalizationAlgorithm.RELAXED).setBodyCanonAlgo(CanonicalizationAlgorithm.SIMPLE)
      .setSignedHeaders(List.of("From", "Subject", "To", "Subject")).setExpireTime(3600);
    DkimOptions dkim = options(new MailConfig().setEnableDKIM(true).addDKIMSignOption(sign)).getDkim();
    assertThat(dkim).isNotNull();
    assertThat(dkim.getDomain()).isEqualTo("example.test");
    assertThat(dkim.getSelector()).isEqualTo("s1");
    assertThat(dkim.getAlgorithm()).isEqualTo(DkimAlgorithm.RSA_SHA256);
    assertThat(dkim.getPrivateKey().getAlgorithm()).isEqualTo("RSA");
    assertThat(dkim.getIdentity()).isEqualTo("news@mail.example.test");
    assertThat(dkim.getHeaderCanonicalization()).isEqualTo(DkimCanonicalization.RELAXED);
    assertThat(dkim.getBodyCanonicalization()).isEqualTo(DkimCanonicalization.SIMPLE);
    assertThat(dkim.getSignedHeaders()).containsExactly("From", "Subject", "To");
    assertThat(dkim.getOverSignedHeaders()).as("listed twice, and From as migo always does")
      .containsExactly("From", "Subject");
    assertThat(dkim.isTimestamp()).isTrue();
    assertThat(dkim.getExpiration()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void dkimKeyFromAPemFile(@TempDir Path dir) throws Exception {
    Path pem = dir.resolve("dkim.pem");
    Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n" + RSA_PKCS8_BASE64 + "\n-----END PRIVATE KEY-----\n");
    DKIMSignOptions sign = new DKIMSignOptions().setSdid("example.test").setSelector("s1")
      .setPrivateKeyPath(pem.toString());
    DkimOptions dkim = options(new MailConfig().setEnableDKIM(true).addDKIMSignOption(sign)).getDkim();
    assertThat(dkim.getPrivateKey().getAlgorithm()).isEqualTo("RSA");
    assertThat(dkim.getHeaderCanonicalization()).as("vertx-mail-client's default").isEqualTo(DkimCanonicalization.SIMPLE);
    assertThat(dkim.isTimestamp()).as("vertx-mail-client's default").isFalse();
  }

  // --- refusals ---------------------------------------------------------------------------------------------------

  static Stream<Arguments> refusals() {
    return Stream.of(
      refusal("hostname", c -> c.setHostname(null), "no SMTP server host name"),
      refusal("port", c -> c.setPort(0), "1..65535"),
      refusal("starttls", c -> c.setStarttls(null), "is null"),
      refusal("login", c -> c.setLogin(null), "is null"),
      refusal("hostnameVerificationAlgorithm", c -> c.setHostnameVerificationAlgorithm("LDAPS"), "HTTPS rules"),
      refusal("login", c -> c.setLogin(LoginOption.REQUIRED), "neither a username and password"),
      refusal("login", c -> c.setLogin(LoginOption.XOAUTH2), "neither a username and password"),
      refusal("password", c -> c.setUsername("alice"), "without a password"),
      refusal("username", c -> c.setPassword("secret"), "without a username"),
      refusal("authMethods", c -> c.setAuthMethods("NTLM"), "NTLM is not a mechanism migo implements"),
      refusal("authMethods", c -> c.setAuthMethods("CRAM-SHA1 CRAM-MD5"), "CRAM-SHA1 is not a mechanism"),
      refusal("authMethods", c -> c.setAuthMethods("DIGEST-MD5"), "DIGEST-MD5 is not a mechanism"),
      refusal("authMethods", c -> c.setLogin(LoginOption.XOAUTH2).setUsername("a").setPassword("t")
        .setAuthMethods("PLAIN"), "does not list XOAUTH2"),
      refusal("login", c -> c.setStarttls(StartTLSOptions.DISABLED).setUsername("a").setPassword("p")
        .setAuthMethods("PLAIN LOGIN"), "would send the secret in clear"),
      refusal("login", c -> c.setStarttls(StartTLSOptions.DISABLED).setLogin(LoginOption.XOAUTH2).setUsername("a")
        .setPassword("t"), "would send the secret in clear"),
      refusal("ownHostname", c -> c.setOwnHostname("bad host\r\nMAIL FROM:<x>"), "domain or an address literal"),
      refusal("disableEsmtp", c -> c.setDisableEsmtp(true), "falls back to HELO"),
      refusal("connectTimeout", c -> c.setConnectTimeout(0), "positive connect timeout"),
      refusal("maxMailsPerConnection", c -> c.setMaxMailsPerConnection(1L << 40), "at most"),
      refusal("enableDKIM", c -> c.setEnableDKIM(true), "no DKIMSignOptions"),
      refusal("dkimSignOptions", c -> c.setEnableDKIM(true).addDKIMSignOption(dkimSign())
        .addDKIMSignOption(dkimSign().setSdid("other.test")), "one MigoMailClient per signing domain"),
      refusal("dkimSignOptions.signAlgo", c -> c.setEnableDKIM(true)
        .addDKIMSignOption(dkimSign().setSignAlgo(DKIMSignAlgorithm.RSA_SHA1)), "obsolete (RFC 8301)"),
      refusal("dkimSignOptions.bodyLimit", c -> c.setEnableDKIM(true)
        .addDKIMSignOption(dkimSign().setBodyLimit(100)), "l= lets anyone append"),
      refusal("dkimSignOptions.copiedHeaders", c -> c.setEnableDKIM(true)
        .addDKIMSignOption(dkimSign().addCopiedHeader("Subject")), "z="),
      refusal("dkimSignOptions", c -> c.setEnableDKIM(true).addDKIMSignOption(dkimSign().setSelector(null)),
        "selector"),
      refusal("ntDomain", c -> c.setNtDomain("CORP"), "NTLM"),
      refusal("workstation", c -> c.setWorkstation("WS1"), "NTLM"),
      refusal("nonProxyHosts", c -> c.setNonProxyHosts(List.of("localhost")), "not a list of exceptions"),
      refusal("sslEngineOptions", c -> c.setSslEngineOptions(new OpenSSLEngineOptions()), "JDK's TLS engine"),
      refusal("localAddress", c -> c.setLocalAddress("127.0.0.2"), "local address"),
      refusal("logActivity", c -> c.setLogActivity(true), "credentials"),
      refusal("enabledCipherSuites", c -> c.addEnabledCipherSuite("TLS_AES_128_GCM_SHA256"), "TLS defaults"),
      refusal("enabledSecureTransportProtocols", c -> c.removeEnabledSecureTransportProtocol("TLSv1.2"),
        "TLS defaults"),
      refusal("crlPaths", c -> c.addCrlPath("crl.pem"), "TLS defaults"),
      refusal("useAlpn", c -> c.setUseAlpn(true), "ALPN"),
      refusal("sslHandshakeTimeout", c -> c.setSslHandshakeTimeout(3), "set connectTimeout instead"),
      refusal("reconnectAttempts", c -> c.setReconnectAttempts(3), "RetryPolicy"),
      refusal("reconnectInterval", c -> c.setReconnectInterval(5), "RetryPolicy"),
      refusal("metricsName", c -> c.setMetricsName("mail"), "setMetrics"),
      refusal("tcpNoDelay", c -> c.setTcpNoDelay(false), "TCP_NODELAY"),
      refusal("tcpKeepAlive", c -> c.setTcpKeepAlive(true), "default TCP settings"),
      refusal("sendBufferSize", c -> c.setSendBufferSize(65536), "default TCP settings"),
      refusal("soLinger", c -> c.setSoLinger(1), "default TCP settings"),
      refusal("tcpFastOpen", c -> c.setTcpFastOpen(true), "default TCP settings"));
  }

  private static Arguments refusal(String option, Consumer<MailConfig> set, String why) {
    return Arguments.of(option, set, why);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusedAtCreationNamingTheOptionAndWhy(String option, Consumer<MailConfig> set, String why) {
    MailConfig config = new MailConfig();
    set.accept(config);
    assertThatThrownBy(() -> map(config))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessageStartingWith("MailConfig option " + option + " cannot be used with MigoMailClient: ")
      .hasMessageContaining(why);
  }

  @Test
  void aPoolSizeBelowOneFromJsonIsRefused() {
    // MailConfig's setter checks this itself; its JSON constructor does not.
    MailConfig config = new MailConfig(new JsonObject().put("maxPoolSize", 0));
    assertThatThrownBy(() -> map(config)).isInstanceOf(IllegalArgumentException.class)
      .hasMessage("MailConfig option maxPoolSize cannot be used with MigoMailClient: must be at least 1, not 0");
  }

  @Test
  void aRefusalNeverShowsThePassword() {
    MailConfig config = new MailConfig().setStarttls(StartTLSOptions.DISABLED).setUsername("a")
      .setPassword("hunter2-secret").setAuthMethods("PLAIN");
    assertThatThrownBy(() -> map(config)).isInstanceOf(IllegalArgumentException.class)
      .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2-secret"));
  }

  @Test
  void everyAuthMechanismMigoHasIsAcceptedByItsSaslName() {
    for (AuthMechanism m : AuthMechanism.values()) {
      MailConfig config = new MailConfig().setStarttls(StartTLSOptions.REQUIRED).setUsername("a").setPassword("p")
        .setAuthMethods(m.saslName());
      assertThat(options(config).getAuthMechanisms()).isEqualTo(Set.of(m));
    }
  }
}
