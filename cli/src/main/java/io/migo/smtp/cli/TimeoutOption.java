package io.migo.smtp.cli;

import io.migo.smtp.SmtpClientOptions;

import java.time.Duration;

/**
 * What {@code --timeout DURATION} means for {@code send} and {@code demo}: one bound for every step of a session, for
 * the relay that answers slowly (or a check that should give up fast). Without it each command keeps its own
 * per-phase values.
 */
final class TimeoutOption {

  /** The start of the option's help; each command adds its own defaults. */
  static final String DESCRIPTION = "Give up on any step that takes longer than DURATION (500ms, 30s, 2m, 1h): "
    + "connecting (with TLS), the greeting, each command's reply and the reply to the message data";

  private TimeoutOption() {
  }

  /** Sets every per-phase timeout of {@code options} to {@code timeout} unless it is null; returns {@code options}. */
  static SmtpClientOptions applyTo(SmtpClientOptions options, Duration timeout) {
    if (timeout != null) {
      options.setConnectTimeout(timeout)
        .setGreetingTimeout(timeout)
        .setCommandTimeout(timeout)
        .setDataTimeout(timeout);
    }
    return options;
  }
}
