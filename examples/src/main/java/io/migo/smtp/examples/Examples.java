package io.migo.smtp.examples;

import io.migo.smtp.demo.EmbeddedSmtpServer;

import java.io.PrintStream;

/**
 * What every example's {@code main} does around its own code: pick the relay, report the outcome, and answer wrong
 * arguments with a usage line and exit status 2 rather than a stack trace.
 */
final class Examples {

  /** The arguments of an example that runs against its own embedded server when given none. */
  static final String RELAY_ARGUMENTS = "[HOST PORT CA_PEM_FILE USER PASSWORD]";

  /** The exit status for wrong arguments, as for the {@code migo-smtp} command line. */
  static final int USAGE_ERROR = 2;

  /** One example's work against a relay; returns what to print. */
  @FunctionalInterface
  interface Body {
    String run(ExampleSettings settings) throws Exception;
  }

  private Examples() {
  }

  /**
   * With no arguments, starts the embedded server and runs against it (then says how many messages it received);
   * otherwise reads {@link ExampleSettings#fromArgs} and runs against that relay. Returns the exit status: 0, or
   * {@value #USAGE_ERROR} after printing the usage when the arguments are wrong.
   */
  static int run(String program, String arguments, String[] args, PrintStream out, PrintStream err, Body body)
    throws Exception {
    if (args.length == 0) {
      try (EmbeddedSmtpServer server = new EmbeddedSmtpServer().start()) {
        out.println("embedded SMTP server on " + server.host() + ":" + server.port());
        out.println(body.run(ExampleSettings.of(server)));
        out.println("the embedded server received " + server.received() + " message(s)");
      }
      return 0;
    }
    ExampleSettings settings;
    try {
      settings = ExampleSettings.fromArgs(args);
    } catch (IllegalArgumentException e) {
      return usage(program, arguments, e.getMessage(), err);
    }
    out.println(body.run(settings));
    return 0;
  }

  /** Prints what is wrong, then the one line that says which arguments {@code program} takes. */
  static int usage(String program, String arguments, String problem, PrintStream err) {
    err.println(program + ": " + problem);
    err.println("usage: java -cp migo-smtp-examples.jar io.migo.smtp.examples." + program + " " + arguments);
    err.flush();
    return USAGE_ERROR;
  }

  /**
   * Ends the JVM with {@code status} when it is not 0. A successful run just returns from {@code main}: its Vert.x
   * is closed by then, so the JVM exits on its own, and a test can call {@code main} without losing its JVM.
   */
  static void exit(int status) {
    if (status != 0) {
      System.exit(status);
    }
  }
}
