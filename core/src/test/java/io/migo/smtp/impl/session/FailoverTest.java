package io.migo.smtp.impl.session;

import io.migo.smtp.PoolOptions;
import io.migo.smtp.RelayAddress;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.ClosedPort;
import io.migo.smtp.testkit.ScriptedClientTestBase;
import io.migo.smtp.testkit.ScriptedSmtpServer;
import io.migo.smtp.testkit.Step;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A primary relay and a backup: failover on connect failure and 421, and a cool-down for the unhealthy one. */
class FailoverTest extends ScriptedClientTestBase {

  private ScriptedSmtpServer backup;

  @BeforeEach
  void startBackup() {
    backup = new ScriptedSmtpServer(vertx);
    backup.script(greeting(), ehloPipelining()).loop(simpleTransactionPipelined(), queued());
  }

  @AfterEach
  void stopBackup() {
    Await.result(backup.stop());
  }

  @Test
  void anUnreachablePrimaryFailsOverToTheBackupAndCoolsDown() throws Exception {
    try (ClosedPort dead = new ClosedPort()) {
      int backupPort = Await.result(backup.start());
      start(plainOptions(dead.port()).setFailoverRelays(List.of(new RelayAddress("127.0.0.1", backupPort))),
        new PoolOptions().setMaxSize(1).setMaxMessagesPerSession(1));

      for (int i = 0; i < 3; i++) {
        Await.result(sendSimple());
      }

      assertThat(backup.messages()).hasSize(3);
      assertThat(backup.connections()).isEqualTo(3);
    }
  }

  @Test
  void aPrimaryThatGreetsWith421FailsOverAndIsSkippedDuringItsCooldown() {
    server.script(Step.greeting("421 4.3.2 Service not available, closing channel").thenClose());
    int primaryPort = listen();
    int backupPort = Await.result(backup.start());
    start(plainOptions(primaryPort)
        .setFailoverRelays(List.of(new RelayAddress("127.0.0.1", backupPort)))
        .setRelayCooldown(Duration.ofMinutes(5)),
      new PoolOptions().setMaxSize(1).setMaxMessagesPerSession(1));

    Await.result(sendSimple());
    Await.result(sendSimple());

    assertThat(server.connections()).as("the primary is tried once, then cools down").isEqualTo(1);
    assertThat(backup.messages()).hasSize(2);
  }

  @Test
  void whenEveryRelayFailsTheLastFailureIsReported() {
    server.script(Step.greeting("421 4.3.2 busy").thenClose());
    backup = new ScriptedSmtpServer(vertx);
    backup.script(Step.greeting("421 4.7.0 also busy").thenClose());
    int primaryPort = listen();
    int backupPort = Await.result(backup.start());
    start(plainOptions(primaryPort).setFailoverRelays(List.of(new RelayAddress("127.0.0.1", backupPort))));

    SmtpException e = (SmtpException) Await.failure(sendSimple());

    assertThat(e.replyCode()).isEqualTo(421);
    assertThat(e.enhancedCode()).isEqualTo("4.7.0");
    assertThat(e.reason()).isEqualTo(Reason.REPLY);
  }

  @Test
  void aRefusalThatIsNotWorthFailingOverStopsAtTheRelayThatMadeIt() throws Exception {
    try (ClosedPort dead = new ClosedPort()) {
      server.script(Step.greeting("554 5.7.1 no service for you").thenClose());
      int refusingPort = listen();
      int backupPort = Await.result(backup.start());
      start(plainOptions(dead.port()).setFailoverRelays(List.of(
        new RelayAddress("127.0.0.1", refusingPort), new RelayAddress("127.0.0.1", backupPort))));

      SmtpException e = (SmtpException) Await.failure(sendSimple());

      assertThat(e.replyCode()).as("the second relay's refusal, not the first one's connect failure").isEqualTo(554);
      assertThat(server.connections()).isEqualTo(1);
      assertThat(backup.connections()).as("a permanent refusal is not hidden by trying the next relay").isZero();
    }
  }
}
