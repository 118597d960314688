package io.migo.smtp.cli;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.TlsMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConvertersTest {

  @ParameterizedTest
  @CsvSource({"none,NONE", "starttls,STARTTLS_REQUIRED", "STARTTLS,STARTTLS_REQUIRED",
    "starttls-optional,STARTTLS_OPTIONAL", "implicit,IMPLICIT"})
  void tlsModes(String spelled, TlsMode expected) {
    assertThat(new Converters.TlsModeConverter().convert(spelled)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"PLAIN,PLAIN", "plain,PLAIN", "login,LOGIN", "CRAM-MD5,CRAM_MD5", "CRAM_MD5,CRAM_MD5",
    "cram_md5,CRAM_MD5", "xoauth2,XOAUTH2", "SCRAM-SHA-256,SCRAM_SHA_256", "scram-sha-256,SCRAM_SHA_256",
    "SCRAM_SHA_1,SCRAM_SHA_1", "scram-sha-1,SCRAM_SHA_1", "OAUTHBEARER,OAUTHBEARER", "oauthbearer,OAUTHBEARER"})
  void authMechanisms(String spelled, AuthMechanism expected) {
    assertThat(new Converters.AuthMechanismConverter().convert(spelled)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"500ms,PT0.5S", "30s,PT30S", "2m,PT2M", "1h,PT1H", "' 45S ',PT45S", "10 s,PT10S", "PT1M30S,PT1M30S"})
  void durations(String spelled, Duration expected) {
    assertThat(new Converters.DurationConverter().convert(spelled)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"30", "", "s", "1.5s", "-1s", "2 weeks", "1d", "PTx"})
  void durationsThatAreNotOne(String spelled) {
    assertThatThrownBy(() -> new Converters.DurationConverter().convert(spelled))
      .isInstanceOf(TypeConversionException.class)
      .hasMessage("expected a duration such as 500ms, 30s, 2m or 1h but was '" + spelled + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "0ms", "PT0S", "PT-1S"})
  void durationsOfZeroOrLess(String spelled) {
    assertThatThrownBy(() -> new Converters.DurationConverter().convert(spelled))
      .isInstanceOf(TypeConversionException.class)
      .hasMessage("must be longer than zero, was '" + spelled + "'");
  }
}
