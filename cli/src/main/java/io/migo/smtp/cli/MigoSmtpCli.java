package io.migo.smtp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code migo-smtp} command line: a thin shell over the public {@code io.migo.smtp} API, useful to check a relay
 * by hand and to load it from a script. The work is done by the subcommands; this class only wires picocli and turns
 * failures into exit codes (0 success, 1 failure, 2 bad arguments).
 */
@Command(name = "migo-smtp",
  mixinStandardHelpOptions = true,
  versionProvider = MigoSmtpCli.Version.class,
  description = "Asynchronous SMTP client for Vert.x: command line tools.",
  subcommands = {SendCommand.class, BulkCommand.class, WorkerCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class MigoSmtpCli implements Runnable {

  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    System.exit(newCommandLine(System::getenv).execute(args));
  }

  /**
   * A ready command line. The environment is a parameter so that tests can hand secrets to {@code --password-env}
   * and {@code --oauth-token-env} without touching the process environment (which Java cannot change).
   */
  public static CommandLine newCommandLine(Function<String, String> environment) {
    return newCommandLine(environment, () -> System.in);
  }

  /** {@link #newCommandLine(Function)} with what {@code bulk --input -} reads, for tests. */
  static CommandLine newCommandLine(Function<String, String> environment, Supplier<InputStream> stdin) {
    CommandLine.IFactory defaults = CommandLine.defaultFactory();
    CommandLine.IFactory factory = new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        if (cls == SendCommand.class) {
          return cls.cast(new SendCommand(environment));
        }
        if (cls == WorkerCommand.class) {
          return cls.cast(new WorkerCommand(environment));
        }
        if (cls == BulkCommand.class) {
          return cls.cast(new BulkCommand(environment, stdin));
        }
        return defaults.create(cls);
      }
    };
    return new CommandLine(new MigoSmtpCli(), factory)
      .setParameterExceptionHandler(MigoSmtpCli::handleUsageError)
      .setExecutionExceptionHandler(MigoSmtpCli::handleUnexpected);
  }

  /** No subcommand is a usage error, not a silent success: a script that forgot "send" must notice. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  /**
   * A short answer to bad arguments: the problem and where to read more. Picocli's default prints the whole usage
   * after the message, which pushes the one line that matters off the screen for a command with this many options.
   */
  private static int handleUsageError(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    // Some picocli messages already start with "Error: "; one prefix is enough.
    String message = String.valueOf(ex.getMessage()).replaceFirst("^Error: ", "");
    err.println(cmd.getColorScheme().errorText("error: " + message));
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** Anything a command did not expect: one line on stderr; the stack trace only when asked for with --verbose. */
  private static int handleUnexpected(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    String message = ex.getMessage() != null ? ex.getMessage() : ex.getClass().getName();
    err.println(cmd.getColorScheme().errorText("error: " + message));
    boolean verbose = cmd.getCommand() instanceof SendCommand send && send.verbose
      || cmd.getCommand() instanceof BulkCommand bulk && bulk.verbose
      || cmd.getCommand() instanceof DemoCommand demo && demo.verbose;
    if (verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    return cmd.getCommandSpec().exitCodeOnExecutionException();
  }

  /**
   * The version Maven wrote into {@code version.properties} at build time (resource filtering), so that a jar, a
   * test run and an IDE run all tell the same; the jar's manifest would exist only in the packaged jar.
   */
  static final class Version implements IVersionProvider {
    static final String RESOURCE = "version.properties";

    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream in = MigoSmtpCli.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IOException(RESOURCE + " is missing from the class path: a broken build");
        }
        properties.load(in);
      }
      return new String[] {
        "migo-smtp " + properties.getProperty("version"),
        "Vert.x " + properties.getProperty("vertx.version") + ", Java " + Runtime.version()
          + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }
}
