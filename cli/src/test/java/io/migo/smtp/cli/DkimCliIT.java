package io.migo.smtp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.migo.smtp.testkit.DkimVerifier;
import io.migo.smtp.testkit.Maildir;
import io.migo.smtp.testkit.TestServers;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --dkim-*} on {@code send} and {@code bulk}: one signed message each through the real Postfix, read back from
 * the Maildir and verified by dkimpy with the key's record.
 */
class DkimCliIT {

  @TempDir
  Path dir;

  /** PKCS#1, as {@code openssl genrsa -traditional} writes it: the RSAPrivateKey inside the JDK's PKCS#8. */
  private static String pkcs1Pem(KeyPair keys) {
    byte[] der = keys.getPrivate().getEncoded();
    int i = 2 + ((der[1] & 0xff) < 0x80 ? 0 : der[1] & 0x7f); // outer SEQUENCE
    i += 3 + 2 + (der[i + 3 + 1] & 0xff);                     // version, AlgorithmIdentifier
    i += 2 + ((der[i + 1] & 0xff) < 0x80 ? 0 : der[i + 1] & 0x7f); // OCTET STRING header
    return "-----BEGIN RSA PRIVATE KEY-----\n"
      + Base64.getMimeEncoder().encodeToString(Arrays.copyOfRange(der, i, der.length))
      + "\n-----END RSA PRIVATE KEY-----\n";
  }

  private static String pkcs8Pem(KeyPair keys) {
    return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
      + "\n-----END PRIVATE KEY-----\n";
  }

  private static List<String> relay(TestServers servers) {
    return List.of("--host", servers.get("hostname"), "--port", servers.get("postfix.submission.port"),
      "--tls", "starttls", "--ca-cert", servers.get("ca.pem"),
      "--user", servers.user(), "--password-env", "MIGO_IT_PASSWORD");
  }

  private static void assertVerified(TestServers servers, String marker, String selector, KeyPair keys) {
    String delivered = Maildir.postfix(servers).awaitOne(marker);
    DkimVerifier.Result result = new DkimVerifier(servers)
      .verify(delivered, Map.of(selector + "._domainkey.example.test", DkimVerifier.record(keys)));
    assertThat(result.pass()).as("dkimpy on:\n%s\n---\n%s", delivered, result.output()).isTrue();
  }

  @Test
  void sendSignsWithAnRsaPkcs1Key() throws Exception {
    TestServers servers = TestServers.require();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    Path key = Files.writeString(dir.resolve("rsa.pem"), pkcs1Pem(keys));
    String marker = "dkim-cli-" + UUID.randomUUID();

    List<String> args = new java.util.ArrayList<>(List.of("send"));
    args.addAll(relay(servers));
    args.addAll(List.of("--from", servers.user(), "--to", "rcpt@example.test", "--subject", marker,
      "--dkim-key", key.toString(), "--dkim-domain", "example.test", "--dkim-selector", "cli-rsa",
      "--dkim-algorithm", "rsa-sha256"));
    CliRun run = CliRun.run(Map.of("MIGO_IT_PASSWORD", servers.password()), args.toArray(String[]::new));

    assertThat(run.exitCode()).as("stdout: %s%nstderr: %s", run.out(), run.err()).isZero();
    assertVerified(servers, marker, "cli-rsa", keys);
  }

  @Test
  void bulkSignsWithAnEd25519Key() throws Exception {
    TestServers servers = TestServers.require();
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path key = Files.writeString(dir.resolve("ed25519.pem"), pkcs8Pem(keys));
    String marker = "dkim-bulk-" + UUID.randomUUID();
    Path input = Files.writeString(dir.resolve("job.jsonl"), new JsonObject().put("id", "one")
      .put("from", servers.user()).put("to", List.of("rcpt@example.test")).put("subject", marker)
      .put("text", "signed in bulk").encode() + "\n");

    List<String> args = new java.util.ArrayList<>(List.of("bulk"));
    args.addAll(relay(servers));
    args.addAll(List.of("--input", input.toString(), "--outcomes", dir.resolve("out.jsonl").toString(), "--json",
      "--dkim-key", key.toString(), "--dkim-domain", "example.test", "--dkim-selector", "cli-ed"));
    CliRun run = CliRun.run(Map.of("MIGO_IT_PASSWORD", servers.password()), InputStream.nullInputStream(),
      args.toArray(String[]::new));

    assertThat(run.exitCode()).as("stdout: %s%nstderr: %s", run.out(), run.err()).isZero();
    assertVerified(servers, marker, "cli-ed", keys);
  }
}
