package io.migo.smtp;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Port 465 means implicit TLS (RFC 8314) unless the caller chose a mode; the silent-greeting timeout's default. */
class TlsModeDefaultTest {

  @Test
  void port465WithoutAModeIsImplicitTls() {
    assertThat(new SmtpClientOptions().setPort(465).getTlsMode()).isEqualTo(TlsMode.IMPLICIT);
    assertThat(new SmtpClientOptions().setPort(465).isTlsModeSet()).isFalse();
  }

  @Test
  void otherPortsKeepTheDefaultMode() {
    assertThat(new SmtpClientOptions().setPort(587).getTlsMode()).isEqualTo(TlsMode.STARTTLS_REQUIRED);
    assertThat(new SmtpClientOptions().setPort(10465).getTlsMode()).isEqualTo(TlsMode.STARTTLS_REQUIRED);
    assertThat(new SmtpClientOptions().getTlsMode()).isEqualTo(TlsMode.STARTTLS_REQUIRED);
    assertThat(new SmtpClientOptions().getPort()).isEqualTo(587);
  }

  @Test
  void anExplicitModeWinsOnPort465InEitherOrder() {
    assertThat(new SmtpClientOptions().setPort(465).setTlsMode(TlsMode.STARTTLS_REQUIRED).getTlsMode())
      .isEqualTo(TlsMode.STARTTLS_REQUIRED);
    assertThat(new SmtpClientOptions().setTlsMode(TlsMode.STARTTLS_REQUIRED).setPort(465).getTlsMode())
      .isEqualTo(TlsMode.STARTTLS_REQUIRED);
  }

  @Test
  void copiesKeepWhetherTheModeWasSet() {
    SmtpClientOptions chosen = new SmtpClientOptions().setPort(465).setTlsMode(TlsMode.STARTTLS_REQUIRED);
    assertThat(new SmtpClientOptions(chosen).getTlsMode()).isEqualTo(TlsMode.STARTTLS_REQUIRED);
    assertThat(new SmtpClientOptions(chosen).isTlsModeSet()).isTrue();
    SmtpClientOptions byPort = new SmtpClientOptions().setPort(465);
    assertThat(new SmtpClientOptions(byPort).isTlsModeSet()).isFalse();
    assertThat(new SmtpClientOptions(byPort).getTlsMode()).isEqualTo(TlsMode.IMPLICIT);
  }

  @Test
  void theSilentGreetingTimeoutDefaultsToTenSecondsAndIsCopied() {
    assertThat(new SmtpClientOptions().getSilentGreetingTimeout()).isEqualTo(Duration.ofSeconds(10));
    SmtpClientOptions options = new SmtpClientOptions().setSilentGreetingTimeout(Duration.ofSeconds(2));
    assertThat(new SmtpClientOptions(options).getSilentGreetingTimeout()).isEqualTo(Duration.ofSeconds(2));
  }
}
