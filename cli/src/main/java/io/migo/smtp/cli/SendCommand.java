package io.migo.smtp.cli;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.TlsMode;
import io.vertx.core.net.PemTrustOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code migo-smtp send}: sends one message, or many with a window of concurrent sends, and reports what happened.
 * Arguments are checked before anything touches the network, so a typo costs no connection.
 */
@Command(name = "send",
  sortOptions = false,
  sortSynopsis = false,
  description = "Sends a message, or --count messages with --concurrency in flight, through an SMTP relay and "
    + "reports what happened to each.",
  footerHeading = "%n",
  footer = {"Exit status: 0 when every message was delivered to every recipient, 1 otherwise, 2 for bad arguments.",
    Summary.JSON_FIELDS_HELP})
final class SendCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = SmtpClientOptions.DEFAULT_HOST,
    description = "Relay host name (default: ${DEFAULT-VALUE}). Certificates are checked against it.")
  String host;

  @Option(names = "--port", paramLabel = "PORT",
    description = "Relay port (default: 465 with --tls implicit, else 587).")
  Integer port;

  // No picocli default: left unset, the library picks implicit TLS for port 465 and STARTTLS otherwise (RFC 8314).
  @Option(names = "--tls", paramLabel = "MODE",
    converter = Converters.TlsModeConverter.class, completionCandidates = Converters.TlsModeCandidates.class,
    description = "TLS policy: ${COMPLETION-CANDIDATES} (default: implicit on port 465, else starttls). starttls "
      + "requires STARTTLS; starttls-optional goes on in clear when the server does not offer it; implicit is TLS "
      + "from the first byte.")
  TlsMode tls;

  @ArgGroup(exclusive = true)
  Trust trust;

  static final class Trust {
    @Option(names = "--ca-cert", paramLabel = "FILE", required = true,
      description = "Trust the CA certificate(s) in this PEM file instead of the JVM's trust store.")
    Path caCert;

    @Option(names = "--trust-all", required = true,
      description = "Accept any server certificate (throw-away test servers only). Host names are still verified.")
    boolean trustAll;
  }

  @Option(names = "--allow-plaintext-auth",
    description = "Allow PLAIN, LOGIN and XOAUTH2 over a connection without TLS.")
  boolean allowPlaintextAuth;

  @Option(names = "--user", paramLabel = "USER", description = "User name to authenticate as.")
  String user;

  @ArgGroup(exclusive = true)
  Secret secret;

  static final class Secret {
    @Option(names = "--password", paramLabel = "PASSWORD", required = true,
      description = "Password (visible to other local users in the process list: prefer --password-env).")
    String password;

    @Option(names = "--password-env", paramLabel = "VAR", required = true,
      description = "Read the password from environment variable VAR.")
    String passwordEnv;

    @Option(names = "--oauth-token-env", paramLabel = "VAR", required = true,
      description = "Authenticate with XOAUTH2, the OAuth 2.0 access token read from environment variable VAR.")
    String oauthTokenEnv;
  }

  @Option(names = "--auth", paramLabel = "MECHANISM", converter = Converters.AuthMechanismConverter.class,
    completionCandidates = Converters.AuthMechanismCandidates.class,
    description = "Use only this SASL mechanism: ${COMPLETION-CANDIDATES} (default: the best one both sides offer).")
  AuthMechanism auth;

  @Option(names = "--from", paramLabel = "ADDR", required = true, description = "Sender address (From and MAIL FROM).")
  String from;

  @Option(names = "--to", paramLabel = "ADDR", required = true,
    description = "Recipient address; repeat for more recipients.")
  List<String> to;

  @Option(names = "--subject", paramLabel = "TEXT",
    description = "Subject (default: \"" + MessageFactory.DEFAULT_SUBJECT + "\").")
  String subject;

  @ArgGroup(exclusive = true)
  Content content;

  static final class Content {
    @Option(names = "--text", paramLabel = "TEXT", required = true,
      description = "Message text (default: \"" + MessageFactory.DEFAULT_TEXT + "\").")
    String text;

    @Option(names = "--body-file", paramLabel = "FILE", required = true,
      description = "Read the message text from this UTF-8 file.")
    Path bodyFile;

    @Option(names = "--eml", paramLabel = "FILE", required = true,
      description = "Send this ready RFC 5322 message (headers and body) as it is.")
    Path eml;
  }

  @Option(names = "--count", paramLabel = "N", defaultValue = "1",
    description = "Number of messages to send (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--concurrency", paramLabel = "C", defaultValue = "1",
    description = "Messages in flight at once, and sessions opened at most (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--size", paramLabel = "BYTES",
    description = "Pad the text to about BYTES bytes with lines of 76 characters (not with --eml).")
  Integer size;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
    description = TimeoutOption.DESCRIPTION + " (default: 30s to connect, 5m for the greeting and each command's "
      + "reply, 10m for the data).")
  Duration timeout;

  @Option(names = "--json", description = "Print one JSON line with the outcome, and nothing else, on stdout.")
  boolean json;

  @Option(names = "--no-progress",
    description = "Do not show progress on stderr for --count runs (default: a bar on a terminal, else a line every "
      + "2 s).")
  boolean noProgress;

  @Option(names = {"-v", "--verbose"}, description = "Show stack traces of unexpected errors.")
  boolean verbose;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  private final Function<String, String> environment;

  SendCommand(Function<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws Exception {
    checkCombinations();
    SmtpClientOptions options = clientOptions();
    MessageFactory messages = messageFactory();
    PrintWriter err = spec.commandLine().getErr();
    Summary summary = BulkRun.run(options, count, concurrency, messages, progress(err), err);
    print(summary);
    return summary.allDelivered() ? 0 : 1;
  }

  /** Progress only for runs of more than one message, and never on stdout. */
  private ProgressDisplay progress(PrintWriter err) {
    if (noProgress || count == 1) {
      return ProgressDisplay.none();
    }
    return ProgressDisplay.create(ProgressDisplay.Mode.AUTO, System.err, err);
  }

  // ------------------------------------------------------------------ arguments

  /** What picocli's annotations cannot say: options that only make sense together, and numeric ranges. */
  private void checkCombinations() {
    if (content != null && content.eml != null) {
      if (size != null) {
        throw usage("--size pads a text body and cannot be combined with --eml");
      }
      if (subject != null) {
        throw usage("--subject cannot be combined with --eml: the file carries its own headers");
      }
    }
    if (secret != null && user == null) {
      throw usage("--password, --password-env and --oauth-token-env need --user");
    }
    if (user != null && secret == null) {
      throw usage("--user needs --password, --password-env or --oauth-token-env");
    }
    if (secret != null && secret.oauthTokenEnv != null && auth != null && auth != AuthMechanism.XOAUTH2) {
      throw usage("--oauth-token-env authenticates with XOAUTH2 and cannot be combined with --auth " + auth.saslName());
    }
    if (port != null && (port < 1 || port > 65535)) {
      throw usage("--port must be between 1 and 65535, was " + port);
    }
    if (count < 1) {
      throw usage("--count must be at least 1, was " + count);
    }
    if (concurrency < 1) {
      throw usage("--concurrency must be at least 1, was " + concurrency);
    }
    if (size != null && size < 0) {
      throw usage("--size must not be negative, was " + size);
    }
    if (trust != null && trust.caCert != null && !Files.isReadable(trust.caCert)) {
      throw usage("--ca-cert file is not readable: " + trust.caCert);
    }
  }

  SmtpClientOptions clientOptions() {
    SmtpClientOptions options = new SmtpClientOptions()
      .setHost(host)
      .setAllowPlaintextAuth(allowPlaintextAuth);
    if (tls != null) {
      options.setTlsMode(tls);
    }
    if (port != null) {
      options.setPort(port);
    }
    if (trust != null && trust.caCert != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(trust.caCert.toString()));
    }
    if (trust != null && trust.trustAll) {
      options.setTrustAll(true);
    }
    if (secret != null) {
      applyCredentials(options);
    }
    if (auth != null) {
      options.setAuthMechanisms(Set.of(auth));
    }
    return TimeoutOption.applyTo(options, timeout);
  }

  private void applyCredentials(SmtpClientOptions options) {
    if (secret.oauthTokenEnv != null) {
      options.setCredentials(user, fromEnvironment(secret.oauthTokenEnv, "--oauth-token-env"));
      // The token only works with XOAUTH2, which the client does not allow by default.
      options.setAuthMechanisms(Set.of(AuthMechanism.XOAUTH2));
    } else if (secret.passwordEnv != null) {
      options.setCredentials(user, fromEnvironment(secret.passwordEnv, "--password-env"));
    } else {
      options.setCredentials(user, secret.password);
    }
  }

  /** The value is a secret: errors name the variable, never show what it holds. */
  private String fromEnvironment(String variable, String option) {
    String value = environment.apply(variable);
    if (value == null) {
      throw usage(option + ": environment variable " + variable + " is not set");
    }
    if (value.isEmpty()) {
      throw usage(option + ": environment variable " + variable + " is empty");
    }
    return value;
  }

  private MessageFactory messageFactory() {
    if (content != null && content.eml != null) {
      return MessageFactory.raw(from, to, readBytes(content.eml, "--eml"));
    }
    String text = content == null ? null
      : content.text != null ? content.text
      : new String(readBytes(content.bodyFile, "--body-file"), StandardCharsets.UTF_8);
    return MessageFactory.text(from, to, subject, text, size == null ? 0 : size);
  }

  private byte[] readBytes(Path file, String option) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw usage(option + ": no such file: " + file);
    } catch (AccessDeniedException e) {
      throw usage(option + ": permission denied: " + file);
    } catch (IOException e) {
      throw usage(option + ": cannot read " + file + ": " + e.getMessage());
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  // ------------------------------------------------------------------ running

  private void print(Summary summary) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(summary.toJsonLine());
    } else {
      out.print(summary.toText());
    }
    out.flush();
  }
}
