package io.migo.smtp.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes a {@link ScriptedSmtpServer} a plain relay: it greets, answers EHLO with the extensions given, accepts any
 * sender and message, refuses each recipient whose address starts with {@value #REFUSED_PREFIX} with
 * {@code 550 5.1.1 <address>: Recipient address rejected}, numbers queued messages Q1, Q2, ... across connections,
 * and says goodbye to QUIT. Any number of connections and messages, in any order: a relay, not a script.
 *
 * <p>Without PIPELINING in the extensions it is what a command-line end-to-end test needs (one command, one reply);
 * with it, the scripted half of the shared suite. Message contents are in
 * {@link ScriptedSmtpServer#storedMessages()} (dot-unstuffed, LF line ends).
 */
public final class RelayRules {

  /** Recipients whose address (inside the angle brackets) starts with this are refused. */
  public static final String REFUSED_PREFIX = "reject";

  private RelayRules() {
  }

  /**
   * Installs the greeting and the rules on {@code server}.
   *
   * @param extensions EHLO keywords to offer, e.g. "PIPELINING", "8BITMIME", "DSN", "SMTPUTF8"
   */
  public static ScriptedSmtpServer install(ScriptedSmtpServer server, String... extensions) {
    AtomicInteger queued = new AtomicInteger();
    return server
      .script(Step.greeting("220 relay.test ESMTP"))
      .answer(
        Step.on("EHLO *").reply(ehloReply(extensions)),
        Step.on("HELO *").reply("250 relay.test"),
        Step.on("MAIL FROM:*").reply("250 2.1.0 Ok"),
        Step.on("RCPT TO:<" + REFUSED_PREFIX + "*")
          .answer(line -> "550 5.1.1 " + address(line) + ": Recipient address rejected"),
        Step.on("RCPT TO:*").reply("250 2.1.5 Ok"),
        Step.on("DATA").reply("354 End data with <CR><LF>.<CR><LF>"),
        Step.onData().answer(content -> "250 2.0.0 Ok: queued as Q" + queued.incrementAndGet()),
        Step.on("RSET").reply("250 2.0.0 Ok"),
        Step.on("NOOP").reply("250 2.0.0 Ok"),
        Step.on("QUIT").reply("221 2.0.0 Bye").thenClose());
  }

  private static String[] ehloReply(String... extensions) {
    List<String> lines = new ArrayList<>();
    lines.add("relay.test");
    lines.addAll(List.of(extensions));
    String[] reply = new String[lines.size()];
    for (int i = 0; i < reply.length; i++) {
      reply[i] = (i + 1 < reply.length ? "250-" : "250 ") + lines.get(i);
    }
    return reply;
  }

  /** "RCPT TO:<a@b> NOTIFY=..." → "<a@b>". */
  private static String address(String line) {
    int end = line.indexOf('>');
    return line.substring("RCPT TO:".length(), end < 0 ? line.length() : end + 1);
  }
}
