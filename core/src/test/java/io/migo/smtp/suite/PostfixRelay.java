package io.migo.smtp.suite;

import io.migo.smtp.RetryPolicy;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.TlsMode;
import io.migo.smtp.testkit.Maildir;
import io.migo.smtp.testkit.TestServers;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real Postfix's submission port (STARTTLS required, then AUTH), delivering everything into one catch-all
 * Maildir. It refuses a recipient at a domain literal of its own address: {@code [127.0.0.1]} is a local domain to
 * it, and with no local users but the system's, {@code rcpt@[127.0.0.1]} gets "550 5.1.1 ... User unknown in local
 * recipient table" while every other recipient goes to the catch-all.
 */
final class PostfixRelay implements ServerUnderTest {

  private final TestServers servers = TestServers.require();
  private final Maildir maildir = Maildir.postfix(servers);

  @Override
  public SmtpClientOptions clientOptions() {
    return servers.verifiedOptions(servers.port("postfix.submission.port")).setTlsMode(TlsMode.STARTTLS_REQUIRED)
      .setCredentials(servers.user(), servers.password()).setRetryPolicy(RetryPolicy.none());
  }

  @Override
  public String sender() {
    return servers.user();
  }

  @Override
  public String refusedRecipient() {
    return "rcpt@[127.0.0.1]";
  }

  @Override
  public String awaitStored(String marker) {
    return fromMessageId(maildir.awaitOne(marker), marker);
  }

  @Override
  public List<String> storedNow(String marker) {
    return maildir.containing(marker).stream().map(m -> fromMessageId(m, marker)).collect(Collectors.toList());
  }

  /** Postfix prepends Return-Path, X-Original-To, Delivered-To and Received; the client's message starts after. */
  private static String fromMessageId(String delivered, String marker) {
    int start = delivered.indexOf("Message-ID: <" + marker);
    assertThat(start).as("Message-ID of %s in: %s", marker, delivered).isNotNegative();
    return delivered.substring(start);
  }

  /**
   * Postfix shows SMTPUTF8 in its Received header ("with UTF8SMTPSA", RFC 6531 section 3.7.3). The other parameters
   * leave no trace in the stored message, but Postfix checks their syntax (501 5.5.4 for a malformed BODY, RET,
   * ENVID or NOTIFY), so the acceptance the suite asserted already shows they were well-formed.
   */
  @Override
  public void assertDeclared(String marker, List<String> mailParameters, List<String> rcptParameters) {
    if (mailParameters.contains("SMTPUTF8")) {
      assertThat(maildir.containing(marker)).singleElement().asString().contains("with UTF8SMTPSA");
    }
  }
}
