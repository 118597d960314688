package io.migo.smtp.examples;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClient;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailMessage;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Mail merge: one personal message per row of a CSV file (Apache Commons CSV, header row gives the column names),
 * its text rendered from a Mustache template with the row's columns, all sent through one pooled client with at
 * most {@link #WINDOW} messages in flight. Every row gets its own outcome; one refused address does not stop the
 * others.
 *
 * <p>Run with no arguments to merge the bundled {@code mail-merge/recipients.csv} and {@code message.mustache} into
 * an embedded server, or with {@code HOST PORT CA_PEM_FILE USER PASSWORD [RECIPIENTS_CSV]}.
 */
public final class MailMerge {

  /** Messages in flight at once, and sessions opened at most. */
  static final int WINDOW = 4;

  /** What happened to one row. */
  public record Outcome(String email, SendResult result, Throwable failure) {
    public boolean delivered() {
      return failure == null;
    }
  }

  private MailMerge() {
  }

  public static void main(String[] args) throws Exception {
    Examples.exit(run(args, System.out, System.err));
  }

  /** What {@code main} does, with the exit status returned instead of ended with. */
  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    String arguments = "[HOST PORT CA_PEM_FILE USER PASSWORD [RECIPIENTS_CSV]]";
    if (args.length == 6 && !Files.isReadable(Path.of(args[5]))) {
      return Examples.usage("MailMerge", arguments, "recipients file is not readable: " + args[5], err);
    }
    String[] relay = args.length == 6 ? Arrays.copyOf(args, 5) : args;
    return Examples.run("MailMerge", arguments, relay, out, err, settings -> {
      List<Map<String, String>> rows;
      try (Reader csv = args.length == 6 ? Files.newBufferedReader(Path.of(args[5]), StandardCharsets.UTF_8)
        : resource("mail-merge/recipients.csv")) {
        rows = readRecipients(csv);
      }
      Vertx vertx = Vertx.vertx();
      try {
        List<Outcome> outcomes = send(vertx, settings, rows, template())
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
        StringBuilder report = new StringBuilder();
        outcomes.forEach(o -> report.append(o.email()).append(": ")
          .append(o.delivered() ? "sent" : "FAILED " + o.failure().getMessage()).append('\n'));
        return report.toString().stripTrailing();
      } finally {
        vertx.close().await();
      }
    });
  }

  /** Rows as column name → value, in file order; the first line names the columns, which must include email. */
  public static List<Map<String, String>> readRecipients(Reader csv) throws IOException {
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
      .setIgnoreEmptyLines(true).get();
    List<Map<String, String>> rows = new ArrayList<>();
    try (CSVParser parser = CSVParser.parse(csv, format)) {
      if (!parser.getHeaderMap().containsKey("email")) {
        throw new IllegalArgumentException("the CSV file has no email column: " + parser.getHeaderNames());
      }
      for (CSVRecord record : parser) {
        rows.add(new LinkedHashMap<>(record.toMap()));
      }
    }
    return rows;
  }

  /** The bundled template. Plain text: values are inserted as they are, not HTML-escaped. */
  public static Mustache template() throws IOException {
    try (Reader reader = resource("mail-merge/message.mustache")) {
      return new PlainTextMustacheFactory().compile(reader, "message");
    }
  }

  public static String render(Mustache template, Map<String, String> row) {
    StringWriter out = new StringWriter();
    template.execute(out, row);
    return out.toString();
  }

  /**
   * Sends one message per row, {@link #WINDOW} at a time; completes, never fails, once every row has an outcome,
   * then closes the client. Outcomes are in row order.
   */
  public static Future<List<Outcome>> send(Vertx vertx, ExampleSettings settings, List<Map<String, String>> rows,
                                           Mustache template) {
    Context context = vertx.getOrCreateContext();
    Promise<List<Outcome>> done = Promise.promise();
    context.runOnContext(v -> {
      SmtpClient client = SmtpClient.create(vertx, settings.clientOptions(), new PoolOptions().setMaxSize(WINDOW));
      new Window(context, client, rows, template).run()
        .onComplete(outcomes -> client.close().onComplete(closed -> done.complete(outcomes.result())));
    });
    return done.future();
  }

  static MailMessage message(Mustache template, Map<String, String> row) {
    return new MailMessage()
      .setFrom("billing@example.com")
      .setTo(row.get("email"))
      .setSubject("Your plan renews on " + row.getOrDefault("renewal_date", "its renewal date"))
      .setText(render(template, row));
  }

  /**
   * Keeps up to {@link #WINDOW} sends in flight: each settled send starts the next row. All state lives on one
   * context; completions hop back to it before they touch anything.
   */
  private static final class Window {
    private final Context context;
    private final SmtpClient client;
    private final Mustache template;
    private final List<Map<String, String>> rows;
    private final Iterator<Map<String, String>> next;
    private final Outcome[] outcomes;
    private final Promise<List<Outcome>> done = Promise.promise();
    private int started;
    private int settled;

    Window(Context context, SmtpClient client, List<Map<String, String>> rows, Mustache template) {
      this.context = context;
      this.client = client;
      this.template = template;
      this.rows = rows;
      this.next = rows.iterator();
      this.outcomes = new Outcome[rows.size()];
    }

    Future<List<Outcome>> run() {
      if (rows.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      for (int i = 0; i < WINDOW && next.hasNext(); i++) {
        startNext();
      }
      return done.future();
    }

    private void startNext() {
      int index = started++;
      Map<String, String> row = next.next();
      sendRow(row).onComplete(ar -> context.runOnContext(v -> settle(index, row, ar)));
    }

    private Future<SendResult> sendRow(Map<String, String> row) {
      try {
        return client.send(message(template, row));
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }

    private void settle(int index, Map<String, String> row, AsyncResult<SendResult> ar) {
      outcomes[index] = new Outcome(row.get("email"), ar.result(), ar.cause());
      settled++;
      if (next.hasNext()) {
        startNext();
      } else if (settled == rows.size()) {
        done.complete(List.of(outcomes));
      }
    }
  }

  /** Mustache escapes for HTML by default; a text/plain body wants "Unix & C", not "Unix &amp; C". */
  private static final class PlainTextMustacheFactory extends DefaultMustacheFactory {
    @Override
    public void encode(String value, Writer writer) {
      try {
        writer.write(value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static Reader resource(String name) {
    InputStream in = MailMerge.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("missing resource " + name);
    }
    return new InputStreamReader(in, StandardCharsets.UTF_8);
  }
}
