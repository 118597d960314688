package io.migo.smtp.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.migo.smtp.DkimAlgorithm;
import io.migo.smtp.DkimCanonicalization;
import io.migo.smtp.DkimOptions;
import io.migo.smtp.Envelope;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.DkimVerifier;
import io.migo.smtp.testkit.DkimVerifier.Result;
import io.migo.smtp.testkit.Maildir;
import io.migo.smtp.testkit.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailMessage;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DKIM signatures checked by an independent verifier (dkimpy) on what the real Postfix delivered to its Maildir, with
 * keys made for the test (RSA 2048 and Ed25519) and published to the verifier as their DNS records would be. Postfix
 * adds Return-Path, Delivered-To and Received fields on top, which a signature does not cover; anything else it
 * changed would break it.
 */
class DkimIT {

  private static final String DOMAIN = "example.test";
  private static TestServers servers;
  private static Vertx vertx;
  private static DkimVerifier verifier;
  private static final Map<DkimAlgorithm, KeyPair> KEYS = new EnumMap<>(DkimAlgorithm.class);

  @BeforeAll
  static void setUp() throws Exception {
    servers = TestServers.require();
    verifier = new DkimVerifier(servers);
    vertx = Vertx.vertx();
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KEYS.put(DkimAlgorithm.RSA_SHA256, rsa.generateKeyPair());
    KEYS.put(DkimAlgorithm.ED25519_SHA256, KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
  }

  @AfterAll
  static void tearDown() {
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (DkimAlgorithm algorithm : DkimAlgorithm.values()) {
      for (DkimCanonicalization c : DkimCanonicalization.values()) {
        for (boolean raw : new boolean[] {true, false}) {
          cases.add(Arguments.of(algorithm, c, raw));
        }
      }
    }
    return cases.stream();
  }

  private static String selector(DkimAlgorithm algorithm) {
    return algorithm == DkimAlgorithm.RSA_SHA256 ? "rsa2026" : "ed2026";
  }

  /** The key as PEM text, as a user would configure it (PKCS#8). */
  private static DkimOptions dkim(DkimAlgorithm algorithm, DkimCanonicalization c) {
    String pem = "-----BEGIN PRIVATE KEY-----\n"
      + Base64.getMimeEncoder().encodeToString(KEYS.get(algorithm).getPrivate().getEncoded())
      + "\n-----END PRIVATE KEY-----\n";
    return new DkimOptions().setDomain(DOMAIN).setSelector(selector(algorithm)).setPrivateKeyPem(pem)
      .setAlgorithm(algorithm).setCanonicalization(c, c);
  }

  private static Map<String, String> records() {
    Map<String, String> records = new java.util.HashMap<>();
    KEYS.forEach((algorithm, keys) ->
      records.put(selector(algorithm) + "._domainkey." + DOMAIN, DkimVerifier.record(keys)));
    return records;
  }

  /** Sends one signed message through Postfix's submission port and returns it as Postfix stored it. */
  private static String sendAndReadBack(DkimAlgorithm algorithm, DkimCanonicalization c, boolean raw) {
    SmtpClientOptions options = servers.verifiedOptions(servers.port("postfix.submission.port"))
      .setTlsMode(TlsMode.STARTTLS_REQUIRED).setCredentials(servers.user(), servers.password())
      .setDkim(dkim(algorithm, c));
    SmtpClient client = SmtpClient.create(vertx, options);
    String marker = UUID.randomUUID().toString();
    try {
      if (raw) {
        // Bare LFs, a dot line, a folded header and trailing whitespace: signed as the wire carries them.
        String content = "From: Alice <" + servers.user() + ">\n"
          + "To: rcpt@example.test\r\n"
          + "Subject: dkim " + marker + "\r\n\tfolded\n"
          + "Message-ID: <" + marker + "@example.test>\n"
          + "Date: Thu, 03 Dec 2026 06:00:00 +0000\n"
          + "\n"
          + "Hello  Bob, \n.\n.. two dots\r\nlast line without newline";
        Await.result(client.send(Envelope.of(servers.user(), "rcpt@example.test"), Buffer.buffer(content)));
      } else {
        Await.result(client.send(new MailMessage().setFrom("Alice <" + servers.user() + ">")
          .setTo("rcpt@example.test").setCc("cc@example.test").setSubject("dkim " + marker)
          .setText("Hello Bob,\n.\nsigned by " + algorithm.tag() + "\n")));
      }
    } finally {
      Await.result(client.close());
    }
    return Maildir.postfix(servers).awaitOne(marker);
  }

  private static void assertVerdict(String message, boolean pass) {
    Result result = verifier.verify(message, records());
    assertThat(result.pass()).as("dkimpy on:\n%s\n---\n%s", message, result.output()).isEqualTo(pass);
  }

  @ParameterizedTest(name = "{0} {1} raw={2}")
  @MethodSource("cases")
  void postfixDeliversWhatDkimpyVerifies(DkimAlgorithm algorithm, DkimCanonicalization c, boolean raw) {
    String delivered = sendAndReadBack(algorithm, c, raw);
    assertThat(delivered.replace("\n ", " ")).contains("DKIM-Signature: v=1; a=" + algorithm.tag() + "; c=" + c.tag() + "/" + c.tag()
      + "; d=" + DOMAIN + "; s=" + selector(algorithm) + ";");
    assertVerdict(delivered, true);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("algorithms")
  void aModifiedBodyFails(DkimAlgorithm algorithm) {
    String delivered = sendAndReadBack(algorithm, DkimCanonicalization.RELAXED, false);
    assertThat(delivered).contains("Hello Bob,");
    assertVerdict(delivered.replace("Hello Bob,", "Hello Eve,"), false);
  }

  static Stream<DkimAlgorithm> algorithms() {
    return Stream.of(DkimAlgorithm.values());
  }

  /** Whitespace added to a body line: relaxed tolerates it, simple does not. */
  @Test
  void trailingWhitespaceBreaksOnlySimple() {
    String relaxed = sendAndReadBack(DkimAlgorithm.ED25519_SHA256, DkimCanonicalization.RELAXED, true);
    assertVerdict(relaxed.replace("two dots\n", "two dots  \n"), true);
    String simple = sendAndReadBack(DkimAlgorithm.ED25519_SHA256, DkimCanonicalization.SIMPLE, true);
    assertVerdict(simple.replace("two dots\n", "two dots  \n"), false);
  }

  /** From is over-signed: a second From added anywhere breaks the signature (RFC 6376 §8.15). */
  @Test
  void anAddedFromFails() {
    String delivered = sendAndReadBack(DkimAlgorithm.RSA_SHA256, DkimCanonicalization.RELAXED, true);
    int bodyStart = delivered.indexOf("\n\n");
    assertVerdict(delivered.substring(0, bodyStart + 1) + "From: mallory@evil.test\n"
      + delivered.substring(bodyStart + 1), false);
  }
}
