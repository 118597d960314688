package io.migo.smtp.examples;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class AttachmentsAndHtmlTest extends EmbeddedServerTestBase {

  @Test
  void htmlTextInlineImageAndAttachmentArrive() throws Exception {
    Await.result(AttachmentsAndHtml.send(vertx, settings(), "reader@example.com"));

    assertThat(server.received()).isEqualTo(1);
    String content = server.lastMessages().get(0).contentAsString();
    assertThat(content)
      .contains("Subject: Your monthly report")
      .contains("multipart/mixed", "multipart/alternative", "text/plain", "text/html", "image/png")
      .contains("cid:" + AttachmentsAndHtml.LOGO_CONTENT_ID)
      .contains("Content-ID: <" + AttachmentsAndHtml.LOGO_CONTENT_ID + ">")
      .contains(AttachmentsAndHtml.REPORT_NAME)
      .containsPattern("(?i)Content-Disposition: attachment");
    // The CSV travels base64-encoded (or as it is, if the encoder kept it 7bit): either way its bytes are there.
    String report = "month,messages,bounces";
    assertThat(content.contains(report)
      || content.replace("\r\n", "").contains(Base64.getEncoder().encodeToString(
        "month,messages,bounces\n2026-09".getBytes()).substring(0, 20))).isTrue();
  }
}
