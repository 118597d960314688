package io.migo.smtp.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MigoSmtpCliTest {

  /** The build's own version (surefire passes the POM's), not a string written into the code. */
  @Test
  void versionIsTheBuildsVersion() {
    String expected = System.getProperty("migo.expectedVersion");
    assertThat(expected).as("set by examples/pom.xml for this test").isNotBlank();

    for (String flag : new String[] {"-V", "--version"}) {
      CliRun run = CliRun.run(flag);

      assertThat(run.exitCode()).isZero();
      assertThat(run.out().lines().findFirst()).hasValue("migo-smtp " + expected);
      assertThat(run.out()).contains("Vert.x 5.", "Java ");
      assertThat(run.err()).isEmpty();
    }
  }
}
