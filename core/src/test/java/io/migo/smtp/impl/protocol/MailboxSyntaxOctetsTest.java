package io.migo.smtp.impl.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MailboxSyntaxOctetsTest {

  @ParameterizedTest
  @ValueSource(strings = {"", "bob@example.com", "jörg@bücher.de", "用户@例子.广告", "😀@x.test", "a\u07ffb\u0800c",
      "lone \ud800 high", "lone \udc00 low", "end \ud83d", "\uffff"})
  void octetsAreTheUtf8Length(String s) {
    assertThat(MailboxSyntax.octets(s)).isEqualTo(s.getBytes(UTF_8).length);
  }
}
