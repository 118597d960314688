package io.migo.smtp.it;

import io.migo.smtp.Envelope;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.TlsEngine;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.RealServerTestBase;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TLS benchmark target, smtp-sink behind stunnel (scripts/test-servers.d/stunnel.sh): implicit TLS with the test
 * CA's certificate, trusted and host-name verified as in production, through each TLS engine, several sessions and
 * messages in flight, as the benchmark sends.
 */
class StunnelSinkIT extends RealServerTestBase {

  private static final int MESSAGES = 200;

  private SmtpClientOptions options(TlsEngine engine) {
    return servers.verifiedOptions(servers.port("sink.tls.port")).setTlsMode(TlsMode.IMPLICIT).setTlsEngine(engine);
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void deliversThroughStunnelWithVerification(TlsEngine engine) {
    SmtpClient client = client(options(engine), new PoolOptions().setMaxSize(4));
    List<Future<SendResult>> sent = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      sent.add(client.send(Envelope.of("sender@example.test", "rcpt@example.test"),
        Buffer.buffer("Subject: over stunnel " + i + "\r\n\r\n" + ("x".repeat(78) + "\r\n").repeat(25))));
    }
    for (Future<SendResult> f : sent) {
      SendResult result = Await.result(f);
      assertThat(result.acceptedRecipients()).containsExactly("rcpt@example.test");
      assertThat(result.serverResponse()).startsWith("2.0.0");
    }
  }

  /** The terminator's certificate is the test CA's: without that CA the handshake is refused, with each engine. */
  @ParameterizedTest
  @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
  void refusesTheCertificateWithoutTheTestCa(TlsEngine engine) {
    SmtpClient client = client(options(engine).setTrustOptions(null));
    SmtpException e = (SmtpException) Await.failure(client.send(
      Envelope.of("sender@example.test", "rcpt@example.test"), Buffer.buffer("Subject: x\r\n\r\nx\r\n")));
    assertThat(e.reason()).isEqualTo(Reason.TLS);
    assertThat(e.getMessage()).contains("not trusted");
  }
}
