package io.migo.smtp.cli;

import io.migo.smtp.testkit.Await;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bulk}'s input as a stream: read as it is asked for, invalid lines apart, a read failure at the end. */
class BulkInputTest {

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  /** What the stream did, in order; appended on the context, read by the test. */
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private static String line(int n) {
    return "{\"id\":\"" + n + "\",\"from\":\"a@x.test\",\"to\":[\"b" + n + "@y.test\"]}\n";
  }

  /** The lines, made only as they are read; counts the bytes handed out. */
  private static final class GeneratedInput extends InputStream {
    private final int lines;
    private final AtomicLong bytesRead = new AtomicLong();
    private int next = 1;
    private byte[] current = new byte[0];
    private int position;

    GeneratedInput(int lines) {
      this.lines = lines;
    }

    @Override
    public int read() {
      if (position == current.length) {
        if (next > lines) {
          return -1;
        }
        current = line(next++).getBytes(StandardCharsets.UTF_8);
        position = 0;
      }
      bytesRead.incrementAndGet();
      return current[position++] & 0xff;
    }
  }

  private BulkInput input(InputStream in) {
    BulkInput input = new BulkInput(context, InputReader.of(in, dir),
      invalid -> events.add("invalid " + invalid.line() + ": " + invalid.reason()));
    context.runOnContext(v -> input
      .exceptionHandler(e -> events.add("failed: " + e.getMessage()))
      .endHandler(end -> events.add("end"))
      .handler(mail -> events.add("mail " + mail.correlationId())));
    return input;
  }

  private void fetch(BulkInput input, long amount) {
    context.runOnContext(v -> input.fetch(amount));
  }

  @Test
  void readsOnlyWhatIsAskedFor() {
    GeneratedInput source = new GeneratedInput(20_000);
    BulkInput input = input(source);
    fetch(input, 3);

    Await.until(() -> events.size() == 3, "three mails");
    // Nothing more was asked for, so nothing more is read: no read is under way once the three are handed over.
    assertThat(events).containsExactly("mail 1", "mail 2", "mail 3");
    assertThat(input.entries()).isEqualTo(3);
    assertThat(source.bytesRead.get()).as("a reader's buffer or two, not the input")
      .isLessThan(64 * 1024);

    fetch(input, Long.MAX_VALUE);
    Await.until(() -> events.contains("end"), "the end");
    assertThat(events).hasSize(20_001).endsWith("mail 20000", "end");
    assertThat(input.entries()).isEqualTo(20_000);
  }

  @Test
  void invalidLinesCostNoDemandAndKeepTheirPlace() {
    String text = line(1) + "garbage\n" + "\n" + "{\"from\":\"a@x.test\",\"to\":[\"b@y.test\"]}\n" + line(5) + line(6);
    BulkInput input = input(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    fetch(input, 2);

    Await.until(() -> events.size() == 4, "two mails and the invalid lines between them");
    assertThat(events).containsExactly("mail 1", "invalid 2: not a JSON object: a line must be one {...}",
      "invalid 4: no id", "mail 5");
    assertThat(input.entries()).as("the blank line is no message").isEqualTo(4);

    // One more than is left: the end of the input is found by reading past its last line.
    fetch(input, 2);
    Await.until(() -> events.contains("end"), "the end");
    assertThat(events).endsWith("mail 6", "end");
  }

  @Test
  void aReadFailureComesAfterTheMailsReadBeforeIt() {
    InputStream broken = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("device gone");
      }
    };
    // The reader's first fill is the good lines alone, and its next one fails, in the same read of the stream.
    StringBuilder good = new StringBuilder();
    for (int i = 1; i <= 2; i++) {
      good.append(line(i));
    }
    InputStream in = new SequenceInputStream(new ByteArrayInputStream(good.toString().getBytes(StandardCharsets.UTF_8)),
      broken);
    BulkInput input = input(in);
    fetch(input, Long.MAX_VALUE);

    Await.until(() -> List.copyOf(events).stream().anyMatch(e -> e.startsWith("failed")), "the failure");
    assertThat(events).containsExactly("mail 1", "mail 2", "failed: cannot read the input after line 2: device gone");
  }

  @Test
  void anEmptyInputEnds() {
    BulkInput input = input(InputStream.nullInputStream());
    fetch(input, 1);

    Await.until(() -> events.contains("end"), "the end");
    assertThat(events).containsExactly("end");
  }
}
