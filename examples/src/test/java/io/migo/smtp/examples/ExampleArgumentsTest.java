package io.migo.smtp.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wrong arguments get what is wrong and one usage line on stderr, and exit status 2: no stack trace, and nothing
 * sent (none of these runs reaches a server: the port named does not matter).
 */
class ExampleArgumentsTest {

  /** What one run printed. */
  record Run(int status, String out, String err) {
  }

  /** An example's {@code run(args, out, err)}. */
  @FunctionalInterface
  interface Example {
    int run(String[] args, PrintStream out, PrintStream err) throws Exception;
  }

  @TempDir
  Path dir;

  @Test
  void sendOneMessageWithTooFewArguments() throws Exception {
    Run run = run(SendOneMessage::run, "smtp.example.test", "587");
    assertUsage(run, "SendOneMessage: expected 5 arguments, got 2",
      "usage: java -cp migo-smtp-examples.jar io.migo.smtp.examples.SendOneMessage [HOST PORT CA_PEM_FILE USER PASSWORD]");
  }

  @Test
  void sendWithMutinyWithAPortThatIsNotANumber() throws Exception {
    Run run = run(SendWithMutiny::run, "smtp.example.test", "smtp", ca(), "alice", "secret");
    assertUsage(run, "SendWithMutiny: PORT must be a number from 1 to 65535, was 'smtp'",
      "usage: java -cp migo-smtp-examples.jar io.migo.smtp.examples.SendWithMutiny [HOST PORT CA_PEM_FILE USER PASSWORD]");
  }

  @Test
  void attachmentsAndHtmlWithAMissingCaFile() throws Exception {
    Path missing = dir.resolve("missing.pem");
    Run run = run(AttachmentsAndHtml::run, "smtp.example.test", "587", missing.toString(), "alice", "secret");
    assertUsage(run, "AttachmentsAndHtml: CA certificate file is not readable: " + missing,
      "usage: java -cp migo-smtp-examples.jar io.migo.smtp.examples.AttachmentsAndHtml [HOST PORT CA_PEM_FILE USER PASSWORD]");
  }

  @Test
  void mailMergeWithAMissingRecipientsFile() throws Exception {
    Path missing = dir.resolve("missing.csv");
    Run run = run(MailMerge::run, "smtp.example.test", "587", ca(), "alice", "secret", missing.toString());
    assertUsage(run, "MailMerge: recipients file is not readable: " + missing,
      "usage: java -cp migo-smtp-examples.jar io.migo.smtp.examples.MailMerge "
        + "[HOST PORT CA_PEM_FILE USER PASSWORD [RECIPIENTS_CSV]]");
  }

  @Test
  void xoauth2WithoutArguments() throws Exception {
    Run run = run(XOAuth2WithTokenSupplier::run);
    assertUsage(run, "XOAuth2WithTokenSupplier: expected 5 arguments, got 0",
      "usage: java -cp migo-smtp-examples.jar io.migo.smtp.examples.XOAuth2WithTokenSupplier "
        + "HOST PORT CA_PEM_FILE USER ACCESS_TOKEN");
  }

  private String ca() throws Exception {
    return Files.writeString(dir.resolve("ca.pem"), "not read before the arguments are checked").toString();
  }

  private static Run run(Example example, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = example.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
      new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static void assertUsage(Run run, String problem, String usage) {
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).isEqualTo(problem + System.lineSeparator() + usage + System.lineSeparator());
    assertThat(run.out()).isEmpty();
  }
}
