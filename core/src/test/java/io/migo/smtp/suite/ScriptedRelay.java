package io.migo.smtp.suite;

import io.migo.smtp.RetryPolicy;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.RelayRules;
import io.migo.smtp.testkit.ScriptedSmtpServer;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The scripted server as a relay ({@link RelayRules}) offering what Postfix offers that the suite exercises. */
final class ScriptedRelay implements ServerUnderTest {

  private final ScriptedSmtpServer server;
  private final int port;

  ScriptedRelay(Vertx vertx) {
    server = RelayRules.install(new ScriptedSmtpServer(vertx),
      "PIPELINING", "ENHANCEDSTATUSCODES", "8BITMIME", "SMTPUTF8", "DSN");
    port = Await.result(server.start());
  }

  @Override
  public void stop() {
    Await.result(server.stop());
    assertThat(server.errors()).as("departures; transcript: %s", server.transcript()).isEmpty();
  }

  @Override
  public SmtpClientOptions clientOptions() {
    // Retries would hide a failure behind a second attempt; the 60 s bounds only catch a hang.
    return new SmtpClientOptions().setHost("127.0.0.1").setPort(port).setTlsMode(TlsMode.NONE)
      .setGreetingTimeout(Await.LIMIT).setCommandTimeout(Await.LIMIT).setDataTimeout(Await.LIMIT)
      .setConnectTimeout(Duration.ofSeconds(10)).setRetryPolicy(RetryPolicy.none());
  }

  @Override
  public String sender() {
    return "sender@example.test";
  }

  @Override
  public String refusedRecipient() {
    return RelayRules.REFUSED_PREFIX + "@example.test";
  }

  @Override
  public String awaitStored(String marker) {
    // The scripted server stores a message before it replies 250: by the time the send succeeded, it is there.
    List<String> found = storedNow(marker);
    assertThat(found).as("stored messages containing %s", marker).isNotEmpty();
    return found.get(0);
  }

  @Override
  public List<String> storedNow(String marker) {
    return server.storedMessages().stream().filter(m -> m.contains(marker)).collect(Collectors.toList());
  }

  @Override
  public void assertDeclared(String marker, List<String> mailParameters, List<String> rcptParameters) {
    assertThat(server.transcript()).filteredOn(line -> line.startsWith("C: MAIL FROM:"))
      .singleElement().asString().contains(mailParameters);
    assertThat(server.transcript()).filteredOn(line -> line.startsWith("C: RCPT TO:"))
      .allSatisfy(line -> assertThat(line).contains(rcptParameters));
  }
}
