package io.migo.mutiny.smtp;

import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.CountingSink;
import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.file.AsyncFile;
import io.vertx.mutiny.core.parsetools.RecordParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The facade as a Mutiny application uses it: with its own Mutiny {@link Vertx} (smallrye-mutiny-vertx-core 4.0.0 on
 * Vert.x 5.0.7, with the runtime that stands in for 4.0.0's; see .mvn/stand-ins/README.md), its Uni-returning
 * Vert.x APIs, and a Vert.x {@code ReadStream} turned into the {@code Multi} that feeds {@code sendAll}. A broken
 * combination of those jars fails here.
 */
class MutinyVertxTest {

  /** Only a hang fails: a slow or busy machine needs far less. */
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int RECIPIENTS = 300;

  private Vertx vertx;
  private CountingSink sink;
  private SmtpClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    sink = new CountingSink(vertx.getDelegate(), RECIPIENTS);
    int port = Await.result(sink.start());
    client = SmtpClient.create(vertx, new SmtpClientOptions().setHost("127.0.0.1").setPort(port)
        .setTlsMode(TlsMode.NONE).setEhloName("mutiny.example").setCommandTimeout(Duration.ofSeconds(30)),
      new PoolOptions().setMaxSize(4));
  }

  @AfterEach
  void stop() {
    client.closeAndAwait();
    Await.result(sink.stop());
    vertx.closeAndAwait();
  }

  @Test
  void aMessageBuiltOnAWorkerIsSentOnTheApplicationsMutinyVertx() {
    SendResult result = vertx.executeBlocking(() -> message(7))
      .chain(content -> client.send(Envelope.of("app@example.test", "someone@example.test"), content))
      .await().atMost(WAIT);

    assertThat(result.acceptedRecipients()).containsExactly("someone@example.test");
    assertThat(sink.timesAccepted(7)).isEqualTo(1);
  }

  @Test
  void recipientsReadFromAFileThroughTheMutinyFileSystemAreEachSentOnce(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("recipients.txt");
    Files.writeString(csv, IntStream.range(0, RECIPIENTS)
      .mapToObj(i -> i + ",reader" + i + "@example.test")
      .collect(Collectors.joining("\n", "", "\n")));
    AsyncFile file = vertx.fileSystem().openAndAwait(csv.toString(), new OpenOptions().setRead(true));

    // A Vert.x ReadStream (file -> lines) as a Multi: the file is read only as fast as sendAll asks.
    Multi<Mail> mails = RecordParser.newDelimited("\n", file).toMulti()
      .map(line -> line.toString().split(","))
      .map(fields -> Mail.raw(Envelope.of("app@example.test", fields[1]),
        message(Integer.parseInt(fields[0]))).withCorrelationId(fields[1]));
    List<SendOutcome> outcomes = client.sendAll(mails).collect().asList().await().atMost(WAIT);

    assertThat(outcomes).hasSize(RECIPIENTS).allMatch(o -> o.status() == Status.DELIVERED);
    assertThat(outcomes).extracting(o -> o.mail().correlationId()).doesNotHaveDuplicates();
    for (int seq = 0; seq < RECIPIENTS; seq++) {
      assertThat(sink.timesAccepted(seq)).as("message %d", seq).isEqualTo(1);
    }
  }

  private static Buffer message(int seq) {
    return Buffer.buffer("X-Seq: " + seq + "\r\nSubject: from a Mutiny Vertx\r\n\r\nmessage " + seq + "\r\n");
  }
}
