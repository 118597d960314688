package io.migo.smtp.cli;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.TlsMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ConvertersTest {

  @ParameterizedTest
  @CsvSource({"none,NONE", "starttls,STARTTLS_REQUIRED", "STARTTLS,STARTTLS_REQUIRED",
    "starttls-optional,STARTTLS_OPTIONAL", "implicit,IMPLICIT"})
  void tlsModes(String spelled, TlsMode expected) {
    assertThat(new Converters.TlsModeConverter().convert(spelled)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"PLAIN,PLAIN", "plain,PLAIN", "login,LOGIN", "CRAM-MD5,CRAM_MD5", "CRAM_MD5,CRAM_MD5",
    "cram_md5,CRAM_MD5", "xoauth2,XOAUTH2"})
  void authMechanisms(String spelled, AuthMechanism expected) {
    assertThat(new Converters.AuthMechanismConverter().convert(spelled)).isEqualTo(expected);
  }
}
