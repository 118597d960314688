package io.migo.smtp.impl.session;

import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.TlsEngine;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.Step;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A consumer without netty-tcnative, as core's own pom leaves it (the dependency is optional): core/pom.xml runs this
 * class alone in a surefire execution ({@code without-openssl}) whose class path lacks the native jar. AUTO falls
 * back to the JDK's engine and still sends over TLS; OPENSSL is a configuration error that says what to add.
 */
class TlsEngineFallbackTest extends ScriptedClientTestBase {

  @BeforeEach
  void openSslIsReallyMissing() {
    // Named in -Dtest, the class also runs in the default execution, which has tcnative: only its own counts.
    assumeTrue(Boolean.getBoolean("migo.withoutOpenSsl"), "runs in surefire execution without-openssl only");
    assertThat(OpenSSLEngineOptions.isAvailable())
      .as("this class must run without netty-tcnative (surefire execution without-openssl in core/pom.xml)")
      .isFalse();
  }

  @Test
  void autoFallsBackToTheJdkEngine() {
    assertThat(TlsEngines.resolve(TlsEngine.AUTO)).isInstanceOf(JdkSSLEngineOptions.class);
  }

  @Test
  void autoStillSendsOverStartTls() {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    server.tls(certificate).script(greeting(),
      Step.on("EHLO client.example").reply("250-scripted.test", "250 STARTTLS"),
      Step.on("STARTTLS").reply("220 2.0.0 Ready to start TLS").thenUpgradeTls(),
      ehloPipelining(), simpleTransactionPipelined(), queued(), quit());
    start(plainOptions(listen()).setHost("localhost").setTlsMode(TlsMode.STARTTLS_REQUIRED)
      .setTrustOptions(certificate.trustOptions()));

    SendResult result = Await.result(sendSimple());
    Await.result(client.close());

    assertThat(result.acceptedRecipients()).containsExactly("b@example.test");
    assertScriptFollowed();
  }

  @Test
  void openSslRequestedWithoutItIsAConfigurationError() {
    // Even without TLS: OPENSSL is the user's explicit demand, so it is checked rather than ignored.
    SmtpClientOptions options = plainOptions(1).setTlsEngine(TlsEngine.OPENSSL);

    assertThatThrownBy(() -> SmtpClient.create(vertx, options))
      .isInstanceOf(IllegalStateException.class)
      .hasMessageContaining("TlsEngine.OPENSSL")
      .hasMessageContaining("io.netty:netty-tcnative-boringssl-static")
      .hasMessageContaining("TlsEngine.AUTO or TlsEngine.JDK");
  }
}
