package io.migo.smtp.cli;

import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One in-process run of the command line, with what it printed. */
record CliRun(int exitCode, String out, String err) {

  static CliRun run(String... args) {
    return run(Map.of(), args);
  }

  static CliRun run(Map<String, String> environment, String... args) {
    return run(environment, InputStream.nullInputStream(), args);
  }

  /** A run whose standard input ({@code bulk --input -}) is {@code stdin}. */
  static CliRun run(Map<String, String> environment, InputStream stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = MigoSmtpCli.newCommandLine(environment::get, () -> stdin);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exitCode = cli.execute(args);
    return new CliRun(exitCode, out.toString(), err.toString());
  }
}
