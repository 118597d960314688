package io.migo.smtp.cli;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.MailProtocol;
import io.migo.smtp.TlsMode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  /** {@code --protocol}: exactly {@code smtp} or {@code lmtp}. */
  static final class ProtocolConverter implements ITypeConverter<MailProtocol> {
    @Override
    public MailProtocol convert(String value) {
      return switch (value) {
        case "smtp" -> MailProtocol.SMTP;
        case "lmtp" -> MailProtocol.LMTP;
        default -> throw new TypeConversionException("expected smtp or lmtp but was '" + value + "'");
      };
    }
  }

  static final class ProtocolCandidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of("smtp", "lmtp").iterator();
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

  /**
   * {@code --timeout}: a whole number and a unit, {@code 500ms}, {@code 30s}, {@code 2m} or {@code 1h}, as in the
   * help texts and in mail tools' configuration. A bare number is refused rather than guessed at: seconds to one
   * reader, milliseconds to another. ISO-8601 ({@code PT30S}) is accepted too, for values copied from Java code.
   */
  static final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern AMOUNT_AND_UNIT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
      String spelled = value.trim().toLowerCase(Locale.ROOT);
      Duration duration = parse(spelled);
      if (duration == null) {
        throw new TypeConversionException("expected a duration such as 500ms, 30s, 2m or 1h but was '" + value + "'");
      }
      if (duration.isZero() || duration.isNegative()) {
        throw new TypeConversionException("must be longer than zero, was '" + value + "'");
      }
      return duration;
    }

    private static Duration parse(String spelled) {
      Matcher m = AMOUNT_AND_UNIT.matcher(spelled);
      if (m.matches()) {
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        };
      }
      if (spelled.startsWith("pt")) {
        try {
          return Duration.parse(spelled);
        } catch (DateTimeParseException e) {
          return null;
        }
      }
      return null;
    }
  }

  static final class AuthMechanismCandidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(AuthMechanism.values()).map(AuthMechanism::saslName).iterator();
    }
  }
}
