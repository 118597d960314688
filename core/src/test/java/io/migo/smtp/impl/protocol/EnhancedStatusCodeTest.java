package io.migo.smtp.impl.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnhancedStatusCodeTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "5.7.8 Authentication failed | 5.7.8",
      "2.0.0                       | 2.0.0",
      "4.4.2 timeout               | 4.4.2",
      "2.1.5 Ok                    | 2.1.5",
      "5.123.999 x                 | 5.123.999",
      "5.01.002 leading zeros      | 5.1.2"})
  void parsesCodeAtStart(String text, String expected) {
    assertThat(EnhancedStatusCode.parseAtStart(text)).hasToString(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "Ok", "5.7", "5.7.", "5..8 x", "3.0.0 x", "1.0.0 x", "6.0.0 x", "5.7.8x", "5.7.8.1 x", "5.1234.1 x",
      "5.1.1234 x", " 5.7.8 x", "5.7.8\tx", "5-7-8 x", "x5.7.8"})
  void returnsNullWithoutCode(String text) {
    assertThat(EnhancedStatusCode.parseAtStart(text)).isNull();
  }

  @Test
  void components() {
    EnhancedStatusCode code = EnhancedStatusCode.parseAtStart("5.1.10 x");
    assertThat(code).isEqualTo(new EnhancedStatusCode(5, 1, 10));
    assertThat(code.statusClass()).isEqualTo(5);
    assertThat(code.subject()).isEqualTo(1);
    assertThat(code.detail()).isEqualTo(10);
  }

  @Test
  void validatesComponents() {
    assertThatThrownBy(() -> new EnhancedStatusCode(3, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EnhancedStatusCode(5, 1000, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EnhancedStatusCode(5, 0, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
