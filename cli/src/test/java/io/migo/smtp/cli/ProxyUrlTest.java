package io.migo.smtp.cli;

import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProxyUrlTest {

  @Test
  void socks5WithALogin() {
    ProxyOptions p = ProxyUrl.parse("socks5://bob:s3cret@proxy.example:1080");
    assertThat(p.getType()).isEqualTo(ProxyType.SOCKS5);
    assertThat(p.getHost()).isEqualTo("proxy.example");
    assertThat(p.getPort()).isEqualTo(1080);
    assertThat(p.getUsername()).isEqualTo("bob");
    assertThat(p.getPassword()).isEqualTo("s3cret");
  }

  @Test
  void socks5AndHttpWithoutALoginAndSocks4() {
    assertThat(ProxyUrl.parse("socks5://127.0.0.1:1080").getUsername()).isNull();
    ProxyOptions http = ProxyUrl.parse("HTTP://proxy:3128/");
    assertThat(http.getType()).isEqualTo(ProxyType.HTTP);
    assertThat(http.getPort()).isEqualTo(3128);
    assertThat(ProxyUrl.parse("socks4://[::1]:1080").getHost()).isEqualTo("::1");
  }

  @Test
  void percentEscapesInTheLoginAreDecodedAndAPlusStaysAPlus() {
    ProxyOptions p = ProxyUrl.parse("http://me%40corp:p%3Ass+w%40rd@proxy:3128");
    assertThat(p.getUsername()).isEqualTo("me@corp");
    assertThat(p.getPassword()).isEqualTo("p:ss+w@rd");
  }

  @Test
  void aUserWithoutPasswordIsLeftForTheEnvironmentVariable() {
    ProxyOptions p = ProxyUrl.parse("socks5://bob@proxy:1080");
    assertThat(p.getUsername()).isEqualTo("bob");
    assertThat(p.getPassword()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"proxy:1080", "https://proxy:443", "socks5://proxy", "socks5://proxy:0",
    "socks5://proxy:70000", "socks5://:1080", "http://proxy:3128/path", "http://proxy:3128?x=1",
    "socks4://bob:pw@proxy:1080", "socks5://:pw@proxy:1080", "socks5 ://proxy:1080"})
  void malformedUrlsAreRefusedWithTheForms(String url) {
    assertThatThrownBy(() -> ProxyUrl.parse(url)).isInstanceOf(TypeConversionException.class)
      .hasMessageStartingWith("expected socks5://[user:password@]host:port, socks4://host:port or "
        + "http://[user:password@]host:port but was '");
  }

  @Test
  void theErrorMasksThePassword() {
    assertThatThrownBy(() -> ProxyUrl.parse("socks5://bob:hunter2@proxy:99999"))
      .hasMessageContaining("'socks5://bob:***@proxy:99999'").hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> ProxyUrl.parse("socks4://bob:hunter2@proxy:1080"))
      .hasMessageContaining("SOCKS4 has no password").hasMessageNotContaining("hunter2");
  }

  @Test
  void theDescriptionNeverHasThePassword() {
    assertThat(ProxyUrl.describe(ProxyUrl.parse("http://bob:hunter2@proxy:3128")))
      .isEqualTo("http://bob:***@proxy:3128");
  }
}
