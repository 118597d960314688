package io.migo.smtp.examples;

import io.migo.smtp.demo.EmbeddedSmtpServer.ReceivedMessage;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailMergeTest extends EmbeddedServerTestBase {

  @Test
  void rendersTheTemplatePerRowWithoutHtmlEscaping() throws Exception {
    String body = MailMerge.render(MailMerge.template(),
      Map.of("name", "Brian", "plan", "Unix & C", "renewal_date", "2027-02-01", "email", "b@example.com"));

    assertThat(body).startsWith("Hello Brian,").contains("\"Unix & C\" plan renews on 2027-02-01", "b@example.com");
  }

  @Test
  void readsQuotedFieldsAndRequiresAnEmailColumn() throws Exception {
    List<Map<String, String>> rows = MailMerge.readRecipients(new StringReader(
      "name,email\n\"Doe, Jane\",jane@example.com\n\n"));
    assertThat(rows).containsExactly(Map.of("name", "Doe, Jane", "email", "jane@example.com"));

    assertThatThrownBy(() -> MailMerge.readRecipients(new StringReader("name,mail\nx,y\n")))
      .hasMessageContaining("no email column");
  }

  @Test
  void sendsOnePersonalMessagePerRecipient() throws Exception {
    List<Map<String, String>> rows;
    try (var csv = new java.io.InputStreamReader(
      getClass().getClassLoader().getResourceAsStream("mail-merge/recipients.csv"),
      java.nio.charset.StandardCharsets.UTF_8)) {
      rows = MailMerge.readRecipients(csv);
    }

    List<MailMerge.Outcome> outcomes = Await.result(MailMerge.send(vertx, settings(), rows, MailMerge.template()));

    assertThat(outcomes).hasSize(5).allMatch(MailMerge.Outcome::delivered);
    assertThat(outcomes).extracting(MailMerge.Outcome::email).containsExactly("ada@example.com",
      "grace@example.com", "brian@example.com", "margaret@example.com", "linus@example.com");
    assertThat(server.received()).isEqualTo(5);
    ReceivedMessage brian = server.lastMessages().stream()
      .filter(m -> m.recipients().contains("brian@example.com")).findFirst().orElseThrow();
    assertThat(brian.contentAsString())
      .contains("Subject: Your plan renews on 2027-02-01", "Hello Brian W. Kernighan, Jr.,", "\"Unix & C\" plan");
  }
}
