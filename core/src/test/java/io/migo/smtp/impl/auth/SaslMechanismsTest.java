package io.migo.smtp.impl.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;
import io.migo.smtp.RelayAddress;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SaslMechanismsTest {

  private static final String SECRET = "s3cr3t-value";
  private static final RelayAddress RELAY = new RelayAddress("smtp.example.com", 587);

  @ParameterizedTest
  @EnumSource(AuthMechanism.class)
  void createsAFreshMechanismForEveryEnumConstant(AuthMechanism mechanism) {
    Credentials credentials = new Credentials("tim", SECRET);

    SaslMechanism created = SaslMechanisms.create(mechanism, credentials, RELAY);

    assertThat(created.mechanism()).isEqualTo(mechanism);
    assertThat(created).isNotSameAs(SaslMechanisms.create(mechanism, credentials, RELAY));
    assertThat(created.serverError()).isNull();
  }

  /** Answers challenges until the mechanism gives up; neither its toString nor the failure shows the secret. */
  @ParameterizedTest
  @EnumSource(AuthMechanism.class)
  void neverShowsTheSecret(AuthMechanism mechanism) {
    SaslMechanism sasl = SaslMechanisms.create(mechanism, new Credentials("tim", SECRET), RELAY);
    byte[] challenge = "<1.2@x>".getBytes(UTF_8);

    SmtpException failure = catchThrowableOfType(SmtpException.class, () -> {
      for (int i = 0; i < 10; i++) {
        sasl.respond(challenge);
        assertThat(sasl.toString()).doesNotContain(SECRET);
      }
    });

    assertThat(failure).isNotNull();
    assertThat(failure.reason()).isEqualTo(Reason.PROTOCOL);
    assertThat(failure.getMessage()).doesNotContain(SECRET);
    assertThat(failure.serverLines()).noneMatch(line -> line.contains(SECRET));
    assertThat(sasl.toString()).contains("tim").doesNotContain(SECRET);
  }
}
