package io.migo.smtp.examples;

import io.migo.smtp.demo.EmbeddedSmtpServer;

/** What every example's {@code main} does around its own code: pick the relay, and report the outcome. */
final class Examples {

  /** One example's work against a relay; returns what to print. */
  @FunctionalInterface
  interface Body {
    String run(ExampleSettings settings) throws Exception;
  }

  private Examples() {
  }

  /**
   * With no arguments, starts the embedded server and runs against it (then says how many messages it received);
   * otherwise reads {@link ExampleSettings#fromArgs} and runs against that relay.
   */
  static void main(String[] args, Body body) throws Exception {
    if (args.length > 0) {
      System.out.println(body.run(ExampleSettings.fromArgs(args)));
      return;
    }
    try (EmbeddedSmtpServer server = new EmbeddedSmtpServer().start()) {
      System.out.println("embedded SMTP server on " + server.host() + ":" + server.port());
      System.out.println(body.run(ExampleSettings.of(server)));
      System.out.println("the embedded server received " + server.received() + " message(s)");
    }
  }
}
