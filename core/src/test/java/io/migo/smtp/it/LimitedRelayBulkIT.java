package io.migo.smtp.it;

import io.migo.smtp.BulkOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.Mail;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SendProgress;
import io.migo.smtp.SendResult;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.impl.bulk.CountingSource;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.Maildir;
import io.migo.smtp.testkit.TestServers;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bulk job against the real limited relay (issue 11, part 8): Postfix's anvil on the bulk-limited submission port
 * allows 3 sessions at once and 500 messages per 10 s unit from one client; the job asks for 16 sessions and sends
 * 2000 messages as fast as it may. It must end with every message DELIVERED, each exactly once in the Maildir, and
 * with far fewer refusals than messages: the client learns the relay's limits instead of fighting them.
 *
 * <p>Nothing here depends on the machine's speed: a slow machine meets fewer rate refusals (perhaps none), a fast one
 * more; the connection refusal is certain, since the pool asks for a fourth session while three are open; the
 * assertions hold either way.
 */
class LimitedRelayBulkIT {

  private static final int MESSAGES = 2000;
  private static final int SESSIONS_ASKED = 16;

  private static TestServers servers;
  private static Vertx vertx;

  @BeforeAll
  static void setUp() {
    servers = TestServers.require();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void tearDown() {
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  @Test
  void aJobBeyondTheRelaysLimitsIsDeliveredOnceEachWithFewRefusals() {
    int port = servers.port("postfix.limited.bulk.port");
    String marker = "bulk-" + UUID.randomUUID();
    Maildir maildir = Maildir.postfix(servers);
    Path log = Path.of(servers.get("postfix.log"));
    long logStart = maildir.logPosition();
    SmtpClient client = SmtpClient.create(vertx,
      servers.verifiedOptions(port).setCredentials(servers.user(), servers.password()),
      new PoolOptions().setMaxSize(SESSIONS_ASKED));

    List<SendOutcome> outcomes = sendAll(client, CountingSource.of(MESSAGES, n -> mail(marker, n)));
    SendProgress progress = client.progress();
    Await.result(client.close());

    assertThat(outcomes).hasSize(MESSAGES);
    assertThat(outcomes).filteredOn(o -> o.status() != Status.DELIVERED)
      .as("messages not delivered").isEmpty();
    List<String> delivered = maildir.awaitAtLeast(MESSAGES, marker);
    Map<String, Long> copies = delivered.stream().map(m -> idIn(m, marker))
      .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(copies.keySet()).as("every id in the Maildir")
      .containsExactlyInAnyOrderElementsOf(IntStream.range(0, MESSAGES).mapToObj(String::valueOf).toList());
    assertThat(copies.values()).as("no id twice").allMatch(n -> n == 1);

    String service = "for service " + servers.get("host") + ":" + port;
    List<String> refusals = linesSince(log, logStart).stream()
      .filter(l -> l.contains(service) && l.contains("limit exceeded")).toList();
    assertThat(refusals).as("the relay refused the fourth session at least")
      .anyMatch(l -> l.contains("Connection concurrency limit exceeded"));
    assertThat(refusals.size()).as("refusals in Postfix's log, far fewer than messages").isLessThan(MESSAGES / 10);
    assertThat(progress.throttleEvents()).as("throttle events the client saw").isPositive();
    assertThat(progress.sessionLimit()).as("sessions, learned from the relay").isLessThanOrEqualTo(SESSIONS_ASKED);
  }

  @Test
  void aMessageWithMoreRecipientsThanTheRelayTakesReachesEveryRecipient() {
    int port = servers.port("postfix.limited.bulk.port");
    int limit = servers.port("postfix.limited.recipients");
    int recipients = limit + limit / 2;
    String marker = "rcpts-" + UUID.randomUUID();
    List<String> to = IntStream.range(0, recipients).mapToObj(i -> "r" + i + "@example.test").toList();
    SmtpClient client = SmtpClient.create(vertx,
      servers.verifiedOptions(port).setCredentials(servers.user(), servers.password()), new PoolOptions());

    SendResult result = Await.result(client.send(Envelope.of(servers.user(), to.toArray(String[]::new)),
      Buffer.buffer("Subject: " + marker + "\r\nX-Migo-Bulk: " + marker + " 0\r\n\r\nto many\r\n")));
    Await.result(client.close());

    assertThat(result.acceptedRecipients()).containsExactlyInAnyOrderElementsOf(to);
    assertThat(result.rejectedRecipients()).isEmpty();
    // The catch-all Maildir gets one copy per recipient, each naming its recipient in X-Original-To.
    List<String> copies = Maildir.postfix(servers).awaitAtLeast(recipients, marker);
    assertThat(copies.stream().map(LimitedRelayBulkIT::originalRecipient).toList())
      .containsExactlyInAnyOrderElementsOf(to);
  }

  private static Mail mail(String marker, long n) {
    String content = "From: " + servers.user() + "\r\nTo: bulk@example.test\r\nSubject: bulk " + n + "\r\n"
      + "X-Migo-Bulk: " + marker + " " + n + "\r\n\r\nmessage " + n + " of a throttled job\r\n";
    return Mail.raw(Envelope.of(servers.user(), "bulk@example.test"), Buffer.buffer(content)).withCorrelationId(n);
  }

  private static List<SendOutcome> sendAll(SmtpClient client, CountingSource source) {
    List<SendOutcome> outcomes = new ArrayList<>();
    Promise<Void> done = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> client.sendAll(source,
        new BulkOptions().setConcurrency(SESSIONS_ASKED * 2))
      .exceptionHandler(done::tryFail)
      .endHandler(end -> done.tryComplete())
      .handler(outcomes::add));
    Await.untilDone(done.future(), "the bulk job", () -> client.progress().completed());
    return outcomes;
  }

  private static String idIn(String message, String marker) {
    Matcher m = Pattern.compile("X-Migo-Bulk: " + Pattern.quote(marker) + " (\\d+)").matcher(message);
    assertThat(m.find()).as("the id header in a delivered message").isTrue();
    return m.group(1);
  }

  private static String originalRecipient(String message) {
    Matcher m = Pattern.compile("(?m)^X-Original-To: (\\S+)").matcher(message);
    assertThat(m.find()).as("X-Original-To in a delivered message").isTrue();
    return m.group(1);
  }

  private static List<String> linesSince(Path log, long from) {
    try {
      byte[] all = Files.readAllBytes(log);
      int start = (int) Math.min(from, all.length);
      return new String(all, start, all.length - start, StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new AssertionError("cannot read " + log, e);
    }
  }
}
