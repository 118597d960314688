package io.migo.smtp.cli;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code bulk}'s input a batch of lines at a time and parses each ({@link InputParser}): blocking I/O, for a
 * worker thread. The file (or stdin) is read as it is needed, so a million lines are never in memory at once; the
 * {@code eml} files and attachments a line names are read here too, off the event loop.
 *
 * <p>Not thread safe: {@link BulkInput} runs one read at a time, each after the last has returned.
 */
final class InputReader implements Closeable {

  /** At most this many lines per read, even when they are all invalid: a batch is a bounded piece of work. */
  static final int MAX_LINES_PER_READ = 1024;

  /**
   * The lines of one read, and whether the input ended with them: at its end, or ({@code failure} not null) because
   * it could not be read further, the lines before the failure still here.
   */
  record Batch(List<InputParser.Parsed> items, boolean end, UncheckedIOException failure) {
  }

  private final BufferedReader reader;
  private final InputParser parser;
  private final boolean closeReader;
  private long lineNumber;

  private InputReader(BufferedReader reader, InputParser parser, boolean closeReader) {
    this.reader = reader;
    this.parser = parser;
    this.closeReader = closeReader;
  }

  /** A file, UTF-8; relative paths in its lines resolve against its directory. */
  static InputReader open(Path file) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    return new InputReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), new InputParser(directory), true);
  }

  /** Standard input, UTF-8, left open at the end; relative paths resolve against the working directory. */
  static InputReader of(InputStream in, Path directory) {
    return new InputReader(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)),
      new InputParser(directory), false);
  }

  /**
   * Reads lines until {@code messages} of them are mails, the input ends or cannot be read (the failure's message
   * names the last line read), or {@value #MAX_LINES_PER_READ} lines were read. Blank lines are skipped.
   */
  Batch read(int messages) {
    List<InputParser.Parsed> items = new ArrayList<>();
    int mails = 0;
    for (int lines = 0; mails < messages && lines < MAX_LINES_PER_READ; lines++) {
      String line;
      try {
        line = nextLine();
      } catch (UncheckedIOException e) {
        return new Batch(items, true, e);
      }
      if (line == null) {
        return new Batch(items, true, null);
      }
      InputParser.Parsed parsed = parser.parse(lineNumber, line);
      if (parsed != null) {
        items.add(parsed);
        if (parsed instanceof InputParser.Message) {
          mails++;
        }
      }
    }
    return new Batch(items, false, null);
  }

  private String nextLine() {
    try {
      String line = reader.readLine();
      if (line != null) {
        lineNumber++;
        // A byte order mark is not part of the first JSON object (editors on Windows write one).
        if (lineNumber == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
      }
      return line;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the input after line " + lineNumber + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    if (closeReader) {
      reader.close();
    }
  }
}
