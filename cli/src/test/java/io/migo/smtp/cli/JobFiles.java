package io.migo.smtp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reading what a `bulk` process writes while it runs: its outcomes file, line by line. */
final class JobFiles {

  private JobFiles() {
  }

  /** The complete lines of a file being written (a last line without its newline is not yet there). */
  static List<String> lines(Path file) {
    try {
      if (!Files.exists(file)) {
        return List.of();
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int end = text.lastIndexOf('\n');
      return end < 0 ? List.of() : text.substring(0, end).lines().filter(l -> !l.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Outcome lines by their id, asserting that no id has two. */
  static Map<String, JsonObject> byId(List<String> lines) {
    Map<String, JsonObject> byId = new HashMap<>();
    for (String line : lines) {
      JsonObject o = new JsonObject(line);
      assertThat(byId.put(o.getString("id"), o)).as("one outcome line per id: %s", line).isNull();
    }
    return byId;
  }
}
