package io.migo.smtp.examples;

import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A message as mail clients like it: an HTML body with a plain-text alternative, an image shown inside the HTML
 * ({@code cid:} reference to an inline part), and a file attached for download. The MIME structure
 * (multipart/mixed around multipart/related around multipart/alternative) is vertx-mail-client's encoder's work;
 * {@link MailMessage} and {@link MailAttachment} only say what goes in.
 *
 * <p>Run with no arguments to send to an embedded server, or with {@code HOST PORT CA_PEM_FILE USER PASSWORD}.
 */
public final class AttachmentsAndHtml {

  static final String LOGO_CONTENT_ID = "logo@migo.example";
  static final String REPORT_NAME = "monthly-report.csv";

  private AttachmentsAndHtml() {
  }

  public static void main(String[] args) throws Exception {
    Examples.exit(run(args, System.out, System.err));
  }

  /** What {@code main} does, with the exit status returned instead of ended with. */
  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    return Examples.run("AttachmentsAndHtml", Examples.RELAY_ARGUMENTS, args, out, err, settings -> {
      Vertx vertx = Vertx.vertx();
      try {
        SendResult result = send(vertx, settings, "someone@example.com")
          .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        return "sent " + result.messageId() + ": " + result.serverResponse();
      } finally {
        vertx.close().await();
      }
    });
  }

  public static Future<SendResult> send(Vertx vertx, ExampleSettings settings, String recipient) {
    SmtpClient client = SmtpClient.create(vertx, settings.clientOptions());
    return client.send(message(recipient)).eventually(client::close);
  }

  /** The message alone, so that it can be looked at without sending it. */
  public static MailMessage message(String recipient) {
    MailAttachment logo = MailAttachment.create()
      .setData(resource("attachments/logo.png"))
      .setContentType("image/png")
      .setName("logo.png")
      .setDisposition("inline")
      // Angle brackets belong to the Content-ID header, not to the cid: URL in the HTML.
      .setContentId("<" + LOGO_CONTENT_ID + ">");
    MailAttachment report = MailAttachment.create()
      .setData(resource("attachments/report.csv"))
      .setContentType("text/csv; charset=UTF-8")
      .setName(REPORT_NAME)
      .setDisposition("attachment")
      .setDescription("Messages and bounces per month");
    return new MailMessage()
      .setFrom("reports@example.com")
      .setTo(recipient)
      .setSubject("Your monthly report")
      .setHtml("""
        <html><body>
        <p><img src="cid:%s" alt="logo" width="32" height="32"></p>
        <h1>Monthly report</h1>
        <p>This month you sent <b>20,102</b> messages; <b>29</b> bounced.
        The figures per month are in the attached <code>%s</code>.</p>
        </body></html>
        """.formatted(LOGO_CONTENT_ID, REPORT_NAME))
      .setText("""
        Monthly report

        This month you sent 20,102 messages; 29 bounced.
        The figures per month are in the attached %s.
        """.formatted(REPORT_NAME))
      .setInlineAttachment(List.of(logo))
      .setAttachment(List.of(report));
  }

  private static Buffer resource(String name) {
    try (InputStream in = AttachmentsAndHtml.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
