package io.migo.smtp.readme;

import io.migo.smtp.readme.ReadmePrograms.Program;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's programs compile as copied, and close what they open; {@code ReadmeProgramsIT} runs them against
 * Postfix. This half needs no server, so a README edit that breaks a program fails in every build.
 */
class ReadmeProgramsTest {

  static List<Program> programs() throws Exception {
    return ReadmePrograms.programs();
  }

  @Test
  void theReadmeHasItsPrograms() throws Exception {
    assertThat(programs()).extracting(Program::className).contains("SendMail", "SendMailWithMutiny");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("programs")
  void compilesAsCopied(Program program, @TempDir Path classes) throws Exception {
    ReadmePrograms.compile(program, classes);

    assertThat(classes.resolve(program.className() + ".class")).exists();
    assertThat(Files.size(classes.resolve(program.className() + ".class"))).isPositive();
  }

  /** The client's sessions first (QUIT), then Vert.x, whose threads would otherwise keep the JVM alive. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("programs")
  void closesTheClientThenVertx(Program program) {
    String source = program.source();
    int client = Math.max(source.indexOf("client.close"), source.indexOf("client.closeAndAwait"));
    int vertx = Math.max(source.indexOf("vertx.close"), source.indexOf("vertx.closeAndAwait"));

    assertThat(client).as("closes the client").isPositive();
    assertThat(vertx).as("closes Vert.x after the client").isGreaterThan(client);
  }
}
