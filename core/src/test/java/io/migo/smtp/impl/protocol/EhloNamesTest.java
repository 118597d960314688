package io.migo.smtp.impl.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EhloNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "localhost", "mail.example.com", "a", "x-1.example-2.org", "123.example.com", "MAIL.Example.COM",
      "[192.0.2.1]", "[0.0.0.0]", "[255.255.255.255]", "[010.1.1.1]",
      "[IPv6:2001:db8:0:0:0:0:0:1]", "[IPv6:2001:db8::1]", "[IPv6:::1]", "[IPv6:::]", "[ipv6:fe80::1]",
      "[IPv6:1:2:3:4:5:6::]", "[IPv6:::1:2:3:4:5:6]", "[IPv6:1:2:3:4:5:6:192.0.2.1]", "[IPv6:::ffff:192.0.2.1]",
      "[IPv6:1:2:3:4::192.0.2.1]"})
  void valid(String name) {
    assertThat(EhloNames.isValid(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "my_host", "-a.example.com", "a-.example.com", "a..example.com", "example.com.", ".example.com",
      "exa mple.com", "exämple.com", "a\r\nb", "[192.0.2.256]", "[192.0.2]", "[192.0.2.1.5]", "[1.2.3.1234]",
      "192.0.2.1]", "[192.0.2.1", "[]", "[IPv6:]", "[IPv6:2001:db8::1::2]", "[IPv6:1:2:3:4:5:6:7]",
      "[IPv6:1:2:3:4:5:6:7:8:9]", "[IPv6:1:2:3:4:5:6:7::]", "[IPv6:12345::1]", "[IPv6:g::1]",
      "[IPv6:1:2:3:4:5::192.0.2.1]", "[IPv6:::1.2.3]", "[2001:db8::1]", "[tag:content]", "[IPv6:1:2:3:4:5:6:7:]"})
  void invalid(String name) {
    assertThat(EhloNames.isValid(name)).isFalse();
  }

  @Test
  void lengthLimits() {
    String label63 = "a".repeat(63);
    assertThat(EhloNames.isValid(label63 + ".example.com")).isTrue();
    assertThat(EhloNames.isValid("a" + label63 + ".example.com")).isFalse();
    String name255 = String.join(".", label63, label63, label63, "a".repeat(63)); // 4*63 + 3 = 255
    assertThat(name255).hasSize(255);
    assertThat(EhloNames.isValid(name255)).isTrue();
    assertThat(EhloNames.isValid(name255 + "a")).isFalse();
    assertThat(EhloNames.isValid(null)).isFalse();
  }

  @Test
  void addressLiteralFromInetAddress() throws Exception {
    assertThat(EhloNames.addressLiteral(InetAddress.getByName("192.0.2.1"))).isEqualTo("[192.0.2.1]");
    assertThat(EhloNames.addressLiteral(InetAddress.getByName("2001:db8::1")))
        .isEqualTo("[IPv6:2001:db8:0:0:0:0:0:1]");
    assertThat(EhloNames.addressLiteral(InetAddress.getByName("fe80::1%1"))).isEqualTo("[IPv6:fe80:0:0:0:0:0:0:1]");
    assertThat(EhloNames.isValid(EhloNames.addressLiteral(InetAddress.getByName("::1")))).isTrue();
  }

  @Test
  void addressLiteralFromText() {
    assertThat(EhloNames.addressLiteral("127.0.0.1")).isEqualTo("[127.0.0.1]");
    assertThat(EhloNames.addressLiteral("0:0:0:0:0:0:0:1")).isEqualTo("[IPv6:0:0:0:0:0:0:0:1]");
    assertThat(EhloNames.addressLiteral("fe80:0:0:0:0:0:0:1%eth0")).isEqualTo("[IPv6:fe80:0:0:0:0:0:0:1]");
    assertThatThrownBy(() -> EhloNames.addressLiteral("mail.example.com"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
