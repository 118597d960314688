package io.migo.smtp.cli;

import io.migo.smtp.SmtpClientOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
import java.util.List;
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

  // Each option has an order: the relay's options come from a mixin, and picocli would otherwise list them (and
  // their groups) apart from the command's own. The numbers keep the help in the order a user reads it.

  @Spec
  CommandSpec spec;

  @Mixin
  RelayOptions relay;

  @Mixin
  DkimSigningOptions dkim;

  @Option(names = "--from", order = 30, paramLabel = "ADDR", required = true,
    description = "Sender address (From and MAIL FROM).")
  String from;

  @Option(names = "--to", order = 31, paramLabel = "ADDR", required = true,
    description = "Recipient address; repeat for more recipients.")
  List<String> to;

  @Option(names = "--subject", order = 32, paramLabel = "TEXT",
    description = "Subject (default: \"" + MessageFactory.DEFAULT_SUBJECT + "\").")
  String subject;

  @ArgGroup(exclusive = true)
  Content content;

  static final class Content {
    @Option(names = "--text", order = 33, paramLabel = "TEXT", required = true,
      description = "Message text (default: \"" + MessageFactory.DEFAULT_TEXT + "\").")
    String text;

    @Option(names = "--body-file", order = 34, paramLabel = "FILE", required = true,
      description = "Read the message text from this UTF-8 file.")
    Path bodyFile;

    @Option(names = "--eml", order = 35, paramLabel = "FILE", required = true,
      description = "Send this ready RFC 5322 message (headers and body) as it is.")
    Path eml;
  }

  @Option(names = "--count", order = 40, paramLabel = "N", defaultValue = "1",
    description = "Number of messages to send (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--concurrency", order = 41, paramLabel = "C", defaultValue = "1",
    description = "Messages in flight at once, and sessions opened at most (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--size", order = 42, paramLabel = "BYTES",
    description = "Pad the text to about BYTES bytes with lines of 76 characters (not with --eml).")
  Integer size;

  @Option(names = "--json", order = 70,
    description = "Print one JSON line with the outcome, and nothing else, on stdout.")
  boolean json;

  @Option(names = "--no-progress", order = 71,
    description = "Do not show progress on stderr for --count runs (default: a bar on a terminal, else a line every "
      + "2 s).")
  boolean noProgress;

  @Option(names = {"-v", "--verbose"}, order = 80, description = "Show stack traces of unexpected errors.")
  boolean verbose;

  @Option(names = {"-h", "--help"}, order = 81, usageHelp = true, description = "Show this help and exit.")
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
    relay.check();
    dkim.check();
    if (count < 1) {
      throw usage("--count must be at least 1, was " + count);
    }
    if (concurrency < 1) {
      throw usage("--concurrency must be at least 1, was " + concurrency);
    }
    if (size != null && size < 0) {
      throw usage("--size must not be negative, was " + size);
    }
  }

  SmtpClientOptions clientOptions() {
    return dkim.applyTo(relay.clientOptions(environment));
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
