package io.migo.smtp.cli;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.TlsMode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Command-line spellings of the API's enums. The CLI speaks the words users know from mail tools
 * ({@code starttls}, {@code CRAM-MD5}), not Java constant names, so each enum gets an explicit table.
 */
final class Converters {

  private Converters() {
  }

  /** {@code --tls}: the spelling on the left, the policy on the right; the order is the order shown in help. */
  static final Map<String, TlsMode> TLS_MODES = tlsModes();

  private static Map<String, TlsMode> tlsModes() {
    Map<String, TlsMode> modes = new LinkedHashMap<>();
    modes.put("none", TlsMode.NONE);
    modes.put("starttls", TlsMode.STARTTLS_REQUIRED);
    modes.put("starttls-optional", TlsMode.STARTTLS_OPTIONAL);
    modes.put("implicit", TlsMode.IMPLICIT);
    return Collections.unmodifiableMap(modes);
  }

  static final class TlsModeConverter implements ITypeConverter<TlsMode> {
    @Override
    public TlsMode convert(String value) {
      TlsMode mode = TLS_MODES.get(value.toLowerCase(Locale.ROOT));
      if (mode == null) {
        throw new TypeConversionException("expected one of " + String.join(", ", TLS_MODES.keySet())
          + " but was '" + value + "'");
      }
      return mode;
    }
  }

  static final class TlsModeCandidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return TLS_MODES.keySet().iterator();
    }
  }

  /**
   * {@code --auth}: the SASL name, case-insensitive; {@code CRAM_MD5} is accepted too because it is how the Java
   * constant is spelled, and people copy it from code.
   */
  static final class AuthMechanismConverter implements ITypeConverter<AuthMechanism> {
    @Override
    public AuthMechanism convert(String value) {
      AuthMechanism mechanism = AuthMechanism.fromSaslName(value.trim().replace('_', '-'));
      if (mechanism == null) {
        throw new TypeConversionException("expected one of " + String.join(", ", new AuthMechanismCandidates())
          + " but was '" + value + "'");
      }
      return mechanism;
    }
  }

  static final class AuthMechanismCandidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(AuthMechanism.values()).map(AuthMechanism::saslName).iterator();
    }
  }
}
