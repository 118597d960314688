package io.migo.smtp.impl.protocol;

import static io.migo.smtp.impl.protocol.CommandsTest.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressesTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "a@example.com", "first.last+tag@sub.example.co.uk", "x@[192.0.2.1]", "\"quoted@local\"@example.com",
      "用户@例子.广告", "a@b"})
  void acceptsMailboxes(String address) {
    assertThatCode(() -> Addresses.validateMailbox("sender", address, false)).doesNotThrowAnyException();
  }

  @Test
  void postmasterOnlyWhenAllowed() {
    assertThatCode(() -> Addresses.validateMailbox("recipient", "postmaster", true)).doesNotThrowAnyException();
    assertThatCode(() -> Addresses.validateMailbox("recipient", "PostMaster", true)).doesNotThrowAnyException();
    assertInvalid(() -> Addresses.validateMailbox("sender", "postmaster", false),
        "sender is not of the form local@domain");
    assertInvalid(() -> Addresses.validateMailbox("recipient", "webmaster", true),
        "recipient is not of the form local@domain");
  }

  @Test
  void rejectsInvalid() {
    assertInvalid(() -> Addresses.validateMailbox("recipient", null, true), "recipient is empty");
    assertInvalid(() -> Addresses.validateMailbox("recipient", "", true), "recipient is empty");
    assertInvalid(() -> Addresses.validateMailbox("recipient", "@example.com", true), "not of the form local@domain");
    assertInvalid(() -> Addresses.validateMailbox("recipient", "user@", true), "not of the form local@domain");
    assertInvalid(() -> Addresses.validateMailbox("recipient", "user", true), "not of the form local@domain");
    assertInvalid(() -> Addresses.validateMailbox("recipient", "<a@b.c>", true), "without angle brackets");
    assertInvalid(() -> Addresses.validateMailbox("recipient", "a@b.c>", true), "without angle brackets");
    assertInvalid(() -> Addresses.validateMailbox("recipient", "a b@c.d", true), "contains whitespace");
    assertInvalid(() -> Addresses.validateMailbox("recipient", "a@c.d\u00a0", true), "contains whitespace");
    assertInvalid(() -> Addresses.validateMailbox("recipient", "a\tb@c.d", true), "control character (0x09)");
    assertInvalid(() -> Addresses.validateMailbox("recipient", "a@c.d\r\n", true), "control character (0x0D)");
    assertInvalid(() -> Addresses.validateMailbox("recipient", "a\0@c.d", true), "control character (0x00)");
  }

  @Test
  void lengthLimitInOctets() {
    String domain = "@example.com"; // 12 octets
    String ok = "a".repeat(254 - domain.length()) + domain;
    assertThatCode(() -> Addresses.validateMailbox("sender", ok, false)).doesNotThrowAnyException();
    assertInvalid(() -> Addresses.validateMailbox("sender", "a" + ok, false), "longer than 254 octets");
    String utf8 = "é".repeat(122) + domain; // 134 chars, 256 octets
    assertInvalid(() -> Addresses.validateMailbox("sender", utf8, false), "longer than 254 octets");
  }

  @Test
  void isAscii() {
    assertThat(Addresses.isAscii("a@example.com")).isTrue();
    assertThat(Addresses.isAscii("")).isTrue();
    assertThat(Addresses.isAscii("josé@example.com")).isFalse();
    assertThat(Addresses.isAscii("a@例子.广告")).isFalse();
  }
}
