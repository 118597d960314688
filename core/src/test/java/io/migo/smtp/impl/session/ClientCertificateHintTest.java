package io.migo.smtp.impl.session;

import io.migo.smtp.impl.protocol.Reply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientCertificateHintTest {

  private static final Reply POSTFIX = Reply.of(421, "4.7.1 localhost Error: No client certificate presented");

  @Test
  void aMissingCertificateNamesTheOptionAndTheCliFlags() {
    assertThat(Hints.clientCertificate(POSTFIX, false))
      .startsWith("the relay requires a TLS client certificate and none is set")
      .contains("SmtpClientOptions.setKeyCertOptions", "--client-cert FILE --client-key FILE", "--client-keystore");
  }

  @Test
  void aPresentedCertificateWasRefusedNotMissing() {
    assertThat(Hints.clientCertificate(POSTFIX, true)).startsWith("the relay did not accept the client certificate");
  }

  @Test
  void aRefusalAboutSomethingElseGetsNoAdvice() {
    assertThat(Hints.clientCertificate(Reply.of(421, "4.7.0 localhost Error: too many connections"), false)).isNull();
  }
}
