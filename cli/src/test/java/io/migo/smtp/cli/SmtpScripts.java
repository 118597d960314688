package io.migo.smtp.cli;

import io.migo.smtp.testkit.Step;

/**
 * The dialogues the command line's end-to-end tests play on core's {@code ScriptedSmtpServer}: a plain relay
 * without TLS, AUTH or PIPELINING, so that every command waits for its reply and each step matches one line.
 */
final class SmtpScripts {

  private SmtpScripts() {
  }

  static Step greeting() {
    return Step.greeting("220 scripted.test ESMTP");
  }

  static Step ehlo() {
    return Step.on("EHLO *").reply("250-scripted.test", "250 ENHANCEDSTATUSCODES");
  }

  static Step mailFrom(String address) {
    return Step.on("MAIL FROM:<" + address + ">").reply("250 2.1.0 Ok");
  }

  static Step rcptTo(String address) {
    return Step.on("RCPT TO:<" + address + ">").reply("250 2.1.5 Ok");
  }

  static Step data() {
    return Step.on("DATA").reply("354 End data with <CR><LF>.<CR><LF>");
  }

  static Step queued(String id) {
    return Step.onData().reply("250 2.0.0 Ok: queued as " + id);
  }

  static Step quit() {
    return Step.on("QUIT").reply("221 2.0.0 Bye").thenClose();
  }

  /** One whole session: greeting, EHLO, one message from {@code from} to {@code to}, QUIT. */
  static Step[] oneMessage(String from, String to) {
    return new Step[] {greeting(), ehlo(), mailFrom(from), rcptTo(to), data(), queued("Q1"), quit()};
  }
}
