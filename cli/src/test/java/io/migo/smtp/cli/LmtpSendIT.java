package io.migo.smtp.cli;

import io.migo.smtp.testkit.Maildir;
import io.migo.smtp.testkit.TestServers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code send --protocol lmtp --socket PATH} against the real Dovecot LMTP server of {@code scripts/test-servers.sh}. */
class LmtpSendIT {

  @Test
  void sendOverTheLmtpSocketReportsEachRecipient() {
    TestServers servers = TestServers.require();
    String marker = "cli-lmtp-" + UUID.randomUUID();
    String unknown = servers.get("lmtp.unknown.user");

    CliRun run = CliRun.run("send", "--protocol", "lmtp", "--socket", servers.get("lmtp.socket"),
      "--from", "sender@example.test", "--to", servers.get("lmtp.user1"), "--to", unknown,
      "--subject", marker, "--text", "hello over LMTP", "--json");

    assertThat(run.exitCode()).as("stdout: %s%nstderr: %s", run.out(), run.err()).isEqualTo(1);
    JsonObject summary = new JsonObject(run.out().trim());
    assertThat(summary.getInteger("partially_delivered")).as(run.out()).isEqualTo(1);
    JsonArray errors = summary.getJsonArray("errors");
    assertThat(errors.encode()).contains(unknown).contains("5.1.1");
    assertThat(new Maildir(Path.of(servers.get("lmtp.user1.maildir")), null).containing(marker)).hasSize(1);
  }

  @Test
  void sendOverLmtpTcpWithStartTls() {
    TestServers servers = TestServers.require();
    String marker = "cli-lmtp-" + UUID.randomUUID();

    CliRun run = CliRun.run("send", "--protocol", "lmtp", "--host", servers.get("hostname"),
      "--port", servers.get("lmtp.port"), "--ca-cert", servers.get("ca.pem"),
      "--from", "sender@example.test", "--to", servers.get("lmtp.user1"), "--to", servers.get("lmtp.user2"),
      "--subject", marker, "--text", "hello over LMTP");

    assertThat(run.exitCode()).as("stdout: %s%nstderr: %s", run.out(), run.err()).isZero();
    assertThat(run.out()).contains("1 delivered").contains("Saved");
    assertThat(new Maildir(Path.of(servers.get("lmtp.user1.maildir")), null).containing(marker)).hasSize(1);
    assertThat(new Maildir(Path.of(servers.get("lmtp.user2.maildir")), null).containing(marker)).hasSize(1);
  }
}
