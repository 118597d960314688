package io.migo.smtp.impl.protocol;

import static io.migo.smtp.impl.protocol.CommandsTest.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one mailbox validator (RFC 5321 section 4.1.2 with RFC 6531), as a table of valid and invalid forms. */
class AddressesTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "bob@example.test", "Bob+tag@sub.example.test", "a@b", "first.last@example.co.uk",
      "!#$%&'*+-/=?^_`{|}~@example.test", "x1-2@a-b.c-d.test", "bob@123.example",
      // Quoted local parts: spaces, specials and quoted-pairs.
      "\"bob smith\"@example.test", "\"bo\\\"b\"@x.test", "\"bo\\\\b\"@x.test", "\"quoted@local\"@example.com",
      "\"bob.\"@x.test", "\".bob\"@x.test", "\"b..ob\"@x.test", "\"\"@x.test", "\"a(b)c,d;e:f[g]\"@x.test",
      // Address literals.
      "bob@[127.0.0.1]", "bob@[IPv6:::1]", "bob@[ipv6:2001:db8::1]", "bob@[IPv6:2001:db8:0:0:0:0:0:1]",
      "bob@[IPv6:::ffff:192.0.2.1]", "bob@[x-tag:opaque-content]",
      // RFC 6531: UTF-8 in atext, qtext and U-labels (the sender then needs SMTPUTF8).
      "jörg@bücher.example", "用户@例子.广告", "\"jörg müller\"@example.test", "δοκιμή@παράδειγμα.δοκιμή",
      "पाठ@उदाहरण.परीक्षा"})
  void acceptsMailboxes(String address) {
    assertThatCode(() -> Addresses.validateMailbox("recipient", address, false)).doesNotThrowAnyException();
  }

  static Stream<Arguments> invalidMailboxes() {
    return Stream.of(
        Arguments.of("bob@@x", "recipient has two '@' (an '@' in the local part must be quoted"),
        Arguments.of("a@b@c@d", "recipient has 3 '@'"),
        Arguments.of("alice", "recipient is not of the form local@domain (it has no '@')"),
        Arguments.of("\"alice\"", "recipient is not of the form local@domain (no '@' after the quoted local part)"),
        Arguments.of("@x", "recipient has an empty local part"),
        Arguments.of("bob@", "recipient has an empty domain"),
        Arguments.of("bob.@x", "recipient has a local part ending with '.'"),
        Arguments.of(".bob@x", "recipient has a local part starting with '.'"),
        Arguments.of("b..ob@x", "recipient has two dots in a row in its local part"),
        Arguments.of("bob smith@example.test", "recipient has a space outside quotes"),
        Arguments.of("bo(b@x.test", "recipient has a character not allowed in an unquoted local part ('(' at index 2"),
        Arguments.of("bo\"b@x.test", "recipient has a character not allowed in an unquoted local part ('\"'"),
        Arguments.of("bo\\b@x.test", "recipient has a character not allowed in an unquoted local part ('\\'"),
        Arguments.of("\"bob@x.test", "recipient has a quoted local part without its closing '\"'"),
        Arguments.of("\"bob\\\"@x.test", "recipient has a quoted local part without its closing '\"'"),
        Arguments.of("\"bo\\ü\"@x.test", "recipient has a '\\' at index 3 not followed by a printable ASCII"),
        Arguments.of("\"bob\"x@x.test", "recipient has characters between its quoted local part and the '@'"),
        Arguments.of("bob@-x.test", "recipient has a domain label starting with '-' (-x)"),
        Arguments.of("bob@x-.test", "recipient has a domain label ending with '-' (x-)"),
        Arguments.of("bob@x..test", "recipient has two dots in a row in its domain"),
        Arguments.of("bob@.x.test", "recipient has a domain starting with '.'"),
        Arguments.of("bob@x.test.", "recipient has a domain ending with '.'"),
        Arguments.of("bob@my_host.test", "recipient has a character not allowed in a domain name ('_'"),
        Arguments.of("bob@exa mple.test", "recipient has a character not allowed in a domain name (' '"),
        Arguments.of("bob@bü€.example", "recipient has a character not allowed in a domain name (U+20AC"),
        Arguments.of("bob@x\u202e.test", "recipient has a character not allowed in a domain name (U+202E"),
        Arguments.of("bob@" + "a".repeat(64) + ".test", "recipient has a domain label of 64 characters, more than"),
        Arguments.of("bob@[300.1.1.1]", "recipient has an invalid IPv4 address literal ([300.1.1.1]"),
        Arguments.of("bob@[1.2.3]", "recipient has an invalid IPv4 address literal"),
        Arguments.of("bob@[IPv6:1::2::3]", "recipient has an invalid IPv6 address literal"),
        Arguments.of("bob@[IPv6:zz::1]", "recipient has an invalid IPv6 address literal"),
        Arguments.of("bob@[127.0.0.1", "recipient has an address literal that does not end with ']'"),
        Arguments.of("bob@[tag-:x]", "recipient has an address literal that is neither IPv4, IPv6 nor Tag:content"),
        Arguments.of("bob@[tag:]", "recipient has an address literal that is neither IPv4, IPv6 nor Tag:content"),
        Arguments.of("bob@[127.0.0.1]x", "recipient has an address literal that does not end with ']'"),
        Arguments.of("a".repeat(65) + "@x.test", "recipient has a local part of 65 octets, more than the 64"),
        Arguments.of("ü".repeat(33) + "@x.test", "recipient has a local part of 66 octets, more than the 64"),
        Arguments.of("<a@b.c>", "recipient must be a bare address without angle brackets"),
        Arguments.of("a@b.c>", "recipient must be a bare address without angle brackets"),
        Arguments.of("\"x> NOTIFY=NEVER\"@b.c", "recipient must be a bare address without angle brackets"),
        Arguments.of("a@c.d\u00a0", "recipient contains whitespace (U+00A0) at index 5"),
        Arguments.of("\"a\u2028b\"@c.d", "recipient contains whitespace (U+2028)"),
        Arguments.of("a\u0085b@c.d", "recipient contains a control character (U+0085) at index 1"),
        Arguments.of("a\ud800b@c.d", "recipient contains an unpaired UTF-16 surrogate at index 1"),
        Arguments.of("a\tb@c.d", "recipient contains a control character (0x09)"),
        Arguments.of("\"a\tb\"@c.d", "recipient contains a control character (0x09)"),
        Arguments.of("a@c.d\r\n", "recipient contains a control character (0x0D)"),
        Arguments.of("\"a\r\nRCPT TO:x\"@c.d", "recipient contains a control character (0x0D)"),
        Arguments.of("a\0@c.d", "recipient contains a control character (0x00)"),
        Arguments.of("", "recipient is empty"),
        Arguments.of(null, "recipient is empty"));
  }

  @ParameterizedTest
  @MethodSource("invalidMailboxes")
  void refusesWithAMessageThatSaysWhatIsWrong(String address, String message) {
    assertInvalid(() -> Addresses.validateMailbox("recipient", address, true), message);
  }

  @Test
  void theMessageEndsWithTheAddress() {
    assertInvalid(() -> Addresses.validateMailbox("recipient", "bob@@x", true), ": bob@@x");
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
  void lengthLimitsInOctets() {
    String local = "a".repeat(64);
    String domain = "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(57) + ".eee"; // 189 octets
    String ok = local + "@" + domain; // 254 octets in all
    assertThat(ok).hasSize(254);
    assertThatCode(() -> Addresses.validateMailbox("sender", ok, false)).doesNotThrowAnyException();
    assertInvalid(() -> Addresses.validateMailbox("sender", ok + "e", false), "sender is longer than 254 octets");
    String utf8 = "é".repeat(30) + "@" + "é".repeat(60) + "." + "é".repeat(33); // 125 chars, 248 octets
    assertThatCode(() -> Addresses.validateMailbox("sender", utf8, false)).doesNotThrowAnyException();
    assertInvalid(() -> Addresses.validateMailbox("sender", utf8 + "éééé", false), "longer than 254 octets");
  }

  @Test
  void theDomainLimitIsChecked() {
    // Through validateMailbox the 254-octet path limit always comes first; the grammar states RFC 5321's own.
    assertThat(MailboxSyntax.problem("a@" + "b".repeat(256))).startsWith("has a domain of 256 octets, more than");
  }

  @Test
  void isAscii() {
    assertThat(Addresses.isAscii("a@example.com")).isTrue();
    assertThat(Addresses.isAscii("")).isTrue();
    assertThat(Addresses.isAscii("josé@example.com")).isFalse();
    assertThat(Addresses.isAscii("a@例子.广告")).isFalse();
  }
}
