package io.migo.smtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The LMTP and Unix-socket options: defaults, copies, and the relay address they make. */
class LmtpOptionsTest {

  @Test
  void smtpIsTheDefaultProtocolAndLmtpDefaultsToPort24() {
    assertThat(new SmtpClientOptions().getProtocol()).isEqualTo(MailProtocol.SMTP);
    assertThat(new SmtpClientOptions().getPort()).isEqualTo(587);
    assertThat(new SmtpClientOptions().setProtocol(MailProtocol.LMTP).getPort()).isEqualTo(24);
    assertThat(new SmtpClientOptions().setProtocol(MailProtocol.LMTP).setPort(2424).getPort()).isEqualTo(2424);
  }

  @Test
  void onAUnixSocketTheTlsModeDefaultsToNoneButAnExplicitModeHolds() {
    SmtpClientOptions socket = new SmtpClientOptions().setUnixSocket("/run/dovecot/lmtp");
    assertThat(socket.getTlsMode()).isEqualTo(TlsMode.NONE);
    assertThat(socket.setTlsMode(TlsMode.STARTTLS_REQUIRED).getTlsMode()).isEqualTo(TlsMode.STARTTLS_REQUIRED);
    assertThat(new SmtpClientOptions().getTlsMode()).isEqualTo(TlsMode.STARTTLS_REQUIRED);
  }

  @Test
  void theCopyKeepsProtocolAndSocket() {
    SmtpClientOptions original = new SmtpClientOptions().setProtocol(MailProtocol.LMTP).setUnixSocket("/s");
    SmtpClientOptions copy = new SmtpClientOptions(original);
    assertThat(copy.getProtocol()).isEqualTo(MailProtocol.LMTP);
    assertThat(copy.getUnixSocket()).isEqualTo("/s");
  }

  @Test
  void anEmptySocketPathIsRefused() {
    assertThatThrownBy(() -> new SmtpClientOptions().setUnixSocket("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RelayAddress.unixSocket("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSocketRelayAddressHasNoPortAndSaysWhatItIs() {
    RelayAddress socket = RelayAddress.unixSocket("/run/dovecot/lmtp");
    assertThat(socket.isUnixSocket()).isTrue();
    assertThat(socket.port()).isZero();
    assertThat(socket).hasToString("unix:/run/dovecot/lmtp");
    RelayAddress tcp = new RelayAddress("mx.example", 25);
    assertThat(tcp.isUnixSocket()).isFalse();
    assertThat(tcp).hasToString("mx.example:25");
    assertThatThrownBy(() -> new RelayAddress("mx.example", 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
