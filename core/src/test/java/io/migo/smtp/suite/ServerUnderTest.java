package io.migo.smtp.suite;

import io.migo.smtp.SmtpClientOptions;

import java.util.List;

/** What the shared suite needs from a server: how to reach it, whom it refuses, and what it stored. */
interface ServerUnderTest {

  /** Options that reach the server and authenticate if it requires it. */
  SmtpClientOptions clientOptions();

  /** A sender the server accepts. */
  String sender();

  /** A recipient the server refuses with a permanent 550 5.1.1 at RCPT while accepting others. */
  String refusedRecipient();

  /**
   * Waits for the stored message that contains {@code marker} and returns it from its Message-ID header on, as a
   * mailbox stores it (dot-unstuffed, LF line ends), without the headers a real server prepends.
   */
  String awaitStored(String marker);

  /** Every stored message that contains {@code marker}, now. */
  List<String> storedNow(String marker);

  /**
   * Checks what the client declared for a message whose content holds {@code marker}, where the server lets a test
   * see it: the MAIL line's parameters (e.g. BODY=8BITMIME, SMTPUTF8, RET=HDRS) and each RCPT line's.
   */
  void assertDeclared(String marker, List<String> mailParameters, List<String> rcptParameters);

  /** Stops what the test started (nothing for a server it only found) and checks what only the end can show. */
  default void stop() {
  }
}
