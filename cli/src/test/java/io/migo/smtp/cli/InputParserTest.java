package io.migo.smtp.cli;

import io.migo.smtp.Mail;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** One line of {@code bulk}'s input: the mail it is, or the reason it is not one. */
class InputParserTest {

  @TempDir
  Path dir;

  private InputParser parser() {
    return new InputParser(dir);
  }

  @Test
  void aFullMessageLine() throws IOException {
    Files.createDirectories(dir.resolve("files"));
    Files.writeString(dir.resolve("files/report.pdf"), "%PDF-1.4 not really");
    InputParser.Parsed parsed = parser().parse(7, "{\"id\":\"42\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\"],"
      + "\"cc\":[\"c@y.test\"],\"bcc\":[\"d@y.test\"],\"subject\":\"Hello\",\"text\":\"plain\","
      + "\"html\":\"<p>html</p>\","
      + "\"headers\":{\"X-Campaign\":\"c1\",\"X-Tag\":[\"t1\",\"t2\"]},"
      + "\"attachments\":[{\"path\":\"files/report.pdf\",\"contentType\":\"application/pdf\"}]}");

    assertThat(parsed).isInstanceOf(InputParser.Message.class);
    InputParser.Message message = (InputParser.Message) parsed;
    assertThat(message.id()).isEqualTo(new LineId("42", 7));
    Mail mail = message.mail();
    assertThat(mail.correlationId()).isEqualTo(new LineId("42", 7)).hasToString("42");
    MailMessage m = mail.message();
    assertThat(m.getFrom()).isEqualTo("a@x.test");
    assertThat(m.getTo()).containsExactly("b@y.test");
    assertThat(m.getCc()).containsExactly("c@y.test");
    assertThat(m.getBcc()).containsExactly("d@y.test");
    assertThat(m.getSubject()).isEqualTo("Hello");
    assertThat(m.getText()).isEqualTo("plain");
    assertThat(m.getHtml()).isEqualTo("<p>html</p>");
    assertThat(m.getHeaders().get("X-Campaign")).isEqualTo("c1");
    assertThat(m.getHeaders().getAll("X-Tag")).containsExactly("t1", "t2");
    MailAttachment attachment = m.getAttachment().get(0);
    assertThat(attachment.getData().toString(StandardCharsets.UTF_8))
      .as("the relative path resolved against the input's directory").isEqualTo("%PDF-1.4 not really");
    assertThat(attachment.getContentType()).isEqualTo("application/pdf");
    assertThat(attachment.getName()).isEqualTo("report.pdf");
  }

  @Test
  void anAttachmentWithoutTypeOrNameGetsDefaults() throws IOException {
    Files.writeString(dir.resolve("data.bin"), "x");
    InputParser.Message message = (InputParser.Message) parser().parse(1, "{\"id\":\"1\",\"from\":\"a@x.test\","
      + "\"to\":\"b@y.test\","
      + "\"attachments\":[{\"path\":\"data.bin\",\"name\":\"renamed.bin\"},{\"path\":\"data.bin\"}]}");

    assertThat(message.mail().message().getTo()).as("one address may be a string").containsExactly("b@y.test");
    assertThat(message.mail().message().getAttachment())
      .extracting(MailAttachment::getName, MailAttachment::getContentType)
      .containsExactly(tuple("renamed.bin", InputParser.DEFAULT_CONTENT_TYPE),
        tuple("data.bin", InputParser.DEFAULT_CONTENT_TYPE));
  }

  @Test
  void anEmlLineIsARawMailWithItsEnvelope() throws IOException {
    Files.writeString(dir.resolve("m.eml"), "Subject: ready\n\nbody\n");
    InputParser.Parsed parsed = parser().parse(3,
      "{\"id\":\"43\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\",\"c@y.test\"],\"bcc\":[\"d@y.test\"],"
        + "\"eml\":\"m.eml\"}");

    Mail mail = ((InputParser.Message) parsed).mail();
    assertThat(mail.isRaw()).isTrue();
    assertThat(mail.envelope().sender()).isEqualTo("a@x.test");
    assertThat(mail.envelope().recipients()).containsExactly("b@y.test", "c@y.test", "d@y.test");
    assertThat(mail.content().toString(StandardCharsets.UTF_8)).isEqualTo("Subject: ready\n\nbody\n");
    assertThat(mail.correlationId()).isEqualTo(new LineId("43", 3));
  }

  @Test
  void aBlankLineIsNoMessage() {
    assertThat(parser().parse(1, "   ")).isNull();
    assertThat(parser().parse(1, "")).isNull();
  }

  @Test
  void malformedJson() {
    assertInvalid(parser().parse(5, "{\"id\":\"1\",\"from\":"), 5, null, "not a JSON object: ");
    assertInvalid(parser().parse(6, "not json"), 6, null, "not a JSON object: a line must be one {...}");
    assertInvalid(parser().parse(7, "[1,2]"), 7, null, "not a JSON object: a line must be one {...}");
    assertInvalid(parser().parse(8, "{\"id\":\"1\"} trailing"), 8, null, "not a JSON object: ");
  }

  @Test
  void missingOrMistypedId() {
    assertInvalid(parser().parse(2, "{\"from\":\"a@x.test\",\"to\":[\"b@y.test\"]}"), 2, null, "no id");
    assertInvalid(parser().parse(3, "{\"id\":42,\"from\":\"a@x.test\",\"to\":[\"b@y.test\"]}"), 3, null,
      "id must be a non-empty string");
    assertInvalid(parser().parse(4, "{\"id\":\"\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\"]}"), 4, null,
      "id must be a non-empty string");
  }

  @Test
  void aRepeatedIdIsInvalidAndNamesTheFirstLine() {
    InputParser parser = parser();
    String line = "{\"id\":\"dup\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\"]}";
    assertThat(parser.parse(1, line)).isInstanceOf(InputParser.Message.class);
    assertInvalid(parser.parse(9, line), 9, "dup", "id dup was already used on line 1");
    assertThat(parser.parse(10, line.replace("dup", "other"))).isInstanceOf(InputParser.Message.class);
  }

  @Test
  void anIdTakenByAnInvalidLineIsTakenToo() {
    InputParser parser = parser();
    assertInvalid(parser.parse(1, "{\"id\":\"x\",\"from\":\"a@x.test\",\"to\":[\"bob\"]}"), 1, "x", "recipient");
    assertInvalid(parser.parse(2, "{\"id\":\"x\",\"from\":\"a@x.test\",\"to\":[\"bob@y.test\"]}"), 2, "x",
      "id x was already used on line 1");
  }

  @Test
  void badAddressesAreRefusedByTheLibrarysCheck() {
    assertInvalid(parser().parse(1, "{\"id\":\"1\",\"from\":\"a@x.test\",\"to\":[\"bob\"]}"), 1, "1",
      "recipient is not of the form local@domain (it has no '@'): bob");
    assertInvalid(parser().parse(2, "{\"id\":\"2\",\"from\":\"a@@x.test\",\"to\":[\"b@y.test\"]}"), 2, "2",
      "sender ");
    assertInvalid(parser().parse(3, "{\"id\":\"3\",\"from\":\"a@x.test\",\"cc\":[\"Bob <b@y.test>\"]}"), 3, "3",
      "angle brackets");
  }

  @Test
  void senderAndRecipientsAreRequired() {
    assertInvalid(parser().parse(1, "{\"id\":\"1\",\"to\":[\"b@y.test\"]}"), 1, "1", "no from");
    assertInvalid(parser().parse(2, "{\"id\":\"2\",\"from\":\"a@x.test\",\"to\":[]}"), 2, "2",
      "no recipients: to, cc and bcc are all empty");
    assertInvalid(parser().parse(3, "{\"id\":\"3\",\"from\":\"a@x.test\",\"to\":[1]}"), 3, "3",
      "to must be an address or an array of addresses");
  }

  @Test
  void unknownFieldsAreRefusedNotIgnored() {
    assertInvalid(parser().parse(1, "{\"id\":\"1\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\"],\"atachments\":[]}"),
      1, "1", "unknown field 'atachments'");
    assertInvalid(parser().parse(2, "{\"id\":\"2\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\"],"
      + "\"attachments\":[{\"file\":\"x\"}]}"), 2, "2", "unknown attachment field 'file'");
  }

  @Test
  void anEmlCarriesItsOwnContent() throws IOException {
    Files.writeString(dir.resolve("m.eml"), "Subject: x\n\nx\n");
    assertInvalid(parser().parse(1, "{\"id\":\"1\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\"],\"eml\":\"m.eml\","
      + "\"subject\":\"s\"}"), 1, "1", "subject cannot be combined with eml");
  }

  @Test
  void missingFilesAreInvalid() {
    assertInvalid(parser().parse(1, "{\"id\":\"1\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\"],\"eml\":\"nope.eml\"}"),
      1, "1", "eml: no such file: nope.eml");
    assertInvalid(parser().parse(2, "{\"id\":\"2\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\"],"
      + "\"attachments\":[{\"path\":\"gone.pdf\"}]}"), 2, "2", "attachment: no such file: gone.pdf");
  }

  @Test
  void mistypedContentFields() {
    assertInvalid(parser().parse(1, "{\"id\":\"1\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\"],\"subject\":5}"),
      1, "1", "subject must be a string");
    assertInvalid(parser().parse(2, "{\"id\":\"2\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\"],\"headers\":[]}"),
      2, "2", "headers must be an object");
    assertInvalid(parser().parse(3, "{\"id\":\"3\",\"from\":\"a@x.test\",\"to\":[\"b@y.test\"],"
      + "\"headers\":{\"X-N\":1}}"), 3, "3", "header X-N must be a string or an array of strings");
  }

  private static void assertInvalid(InputParser.Parsed parsed, long line, String id, String reason) {
    assertThat(parsed).isInstanceOf(InputParser.Invalid.class);
    InputParser.Invalid invalid = (InputParser.Invalid) parsed;
    assertThat(invalid.line()).isEqualTo(line);
    assertThat(invalid.id()).isEqualTo(id);
    assertThat(invalid.reason()).contains(reason);
  }
}
