package io.migo.smtp.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An independent DKIM verifier for the tests: dkimpy (Debian's python3-dkim, installed by the test-servers plug-in
 * {@code scripts/test-servers.d/dkim.sh}, whose interpreter the properties name as {@code dkim.python}), run on a
 * message as a receiver would, with the key records given here instead of looked up in DNS.
 */
public final class DkimVerifier {

  private final String python;
  private final Path script;

  public DkimVerifier(TestServers servers) {
    this.python = servers.get("dkim.python");
    try (InputStream in = DkimVerifier.class.getResourceAsStream("/dkim/verify.py")) {
      if (in == null) {
        throw new AssertionError("dkim/verify.py is not on the test class path");
      }
      script = Files.createTempFile("migo-dkim-verify", ".py");
      script.toFile().deleteOnExit();
      Files.write(script, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The outcome: whether dkimpy said pass, and what it printed (its log), for the assertion's message. */
  public record Result(boolean pass, String output) {
  }

  /** The TXT record that publishes {@code keys}' public half ({@code p=}, RFC 6376 §3.6.1, RFC 8463 §4). */
  public static String record(KeyPair keys) {
    PublicKey key = keys.getPublic();
    if ("RSA".equals(key.getAlgorithm())) {
      return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getEncoded());
    }
    // Ed25519: the raw 32-byte key, the end of its SubjectPublicKeyInfo.
    byte[] spki = key.getEncoded();
    return "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32,
      spki.length));
  }

  /** Verifies the message's first DKIM-Signature; {@code records} maps e.g. {@code sel._domainkey.example.test}. */
  public Result verify(String message, Map<String, String> records) {
    try {
      Path file = Files.createTempFile("migo-dkim-message", ".eml");
      try {
        Files.writeString(file, message, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(python, script.toString(), file.toString()));
        records.forEach((name, record) -> command.add(name + "=" + record));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(Await.OUTER_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("dkimpy did not finish: " + output);
        }
        int exit = process.exitValue();
        if (exit > 1) {
          throw new AssertionError("dkimpy could not run (exit " + exit + "): " + output);
        }
        return new Result(exit == 0, output);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
