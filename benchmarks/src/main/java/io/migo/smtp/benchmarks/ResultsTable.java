package io.migo.smtp.benchmarks;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints {@link SendBenchmark}'s JMH JSON side by side: one row per concurrency and target, one column per client,
 * and migo's ratio to each peer.
 *
 * <p>Usage: {@code ResultsTable send.json [--ref=label:msgs/s ...]}; each {@code --ref} adds a reference row (e.g.
 * smtp-source's figure).
 */
public final class ResultsTable {

  /** A score and half the spread (max - min) of its measurement iterations. */
  private record Score(double value, double halfSpread) {
    String format() {
      if (Double.isNaN(value)) {
        return "-";
      }
      String spread = Double.isNaN(halfSpread) || value == 0 ? ""
        : String.format(Locale.ROOT, " ±%.0f%%", 100 * halfSpread / value);
      return String.format(Locale.ROOT, "%,.0f%s", value, spread);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: ResultsTable <jmh-result.json> [--ref=label:msgs/s ...]");
      System.exit(2);
    }
    JsonArray results = new JsonArray(Files.readString(Path.of(args[0])));
    // key "target|concurrency" -> client -> score
    Map<String, Map<String, Score>> rows = new TreeMap<>((a, b) -> {
      String[] x = a.split("\\|");
      String[] y = b.split("\\|");
      int byTarget = x[0].compareTo(y[0]);
      return byTarget != 0 ? byTarget : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    });
    for (int i = 0; i < results.size(); i++) {
      JsonObject result = results.getJsonObject(i);
      if (!result.getString("benchmark", "").endsWith("SendBenchmark.send")) {
        continue;
      }
      JsonObject params = result.getJsonObject("params");
      JsonObject metric = result.getJsonObject("primaryMetric");
      String key = params.getString("target") + "|" + params.getString("concurrency");
      rows.computeIfAbsent(key, k -> new TreeMap<>()).put(params.getString("client"),
        new Score(metric.getDouble("score"), halfSpread(metric.getJsonArray("rawData"))));
    }

    // One column per client, then migo's ratio to each peer.
    List<String> peers = LoadClient.KINDS.stream().filter(k -> !k.startsWith("migo")).toList();
    StringBuilder header = new StringBuilder(String.format("%-9s %5s ", "target", "conc"));
    StringBuilder units = new StringBuilder(String.format("%-9s %5s ", "", ""));
    for (String kind : LoadClient.KINDS) {
      header.append(String.format(" %16s", kind));
      units.append(String.format(" %16s", "msgs/s"));
    }
    for (String peer : peers) {
      header.append(String.format(" %16s", "migo/" + peer));
    }
    System.out.println(header);
    System.out.println(units);
    for (Map.Entry<String, Map<String, Score>> row : rows.entrySet()) {
      String[] key = row.getKey().split("\\|");
      StringBuilder line = new StringBuilder(String.format("%-9s %5s ", key[0], key[1]));
      for (String kind : LoadClient.KINDS) {
        line.append(String.format(" %16s", score(row.getValue(), kind).format()));
      }
      for (String peer : peers) {
        line.append(String.format(" %16s", ratio(score(row.getValue(), "migo"), score(row.getValue(), peer))));
      }
      System.out.println(line);
    }
    List<String> refs = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].startsWith("--ref=")) {
        refs.add(args[i].substring("--ref=".length()));
      }
    }
    for (String ref : refs) {
      int colon = ref.lastIndexOf(':');
      System.out.printf("reference: %s %,.0f msgs/s%n", ref.substring(0, colon),
        Double.parseDouble(ref.substring(colon + 1)));
    }
  }

  /**
   * Half of max - min over every measurement iteration of every fork. With JMH's default three iterations its own
   * 99.9% error uses Student's t with 2 degrees of freedom (31.6) and says little; the spread says what was seen.
   */
  private static double halfSpread(JsonArray rawData) {
    if (rawData == null) {
      return Double.NaN;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int f = 0; f < rawData.size(); f++) {
      JsonArray fork = rawData.getJsonArray(f);
      for (int i = 0; i < fork.size(); i++) {
        double v = ((Number) fork.getValue(i)).doubleValue();
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    return min > max ? Double.NaN : (max - min) / 2;
  }

  private static Score score(Map<String, Score> row, String kind) {
    return row.getOrDefault(kind, new Score(Double.NaN, Double.NaN));
  }

  private static String ratio(Score a, Score b) {
    if (Double.isNaN(a.value()) || Double.isNaN(b.value()) || b.value() == 0) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.2fx", a.value() / b.value());
  }
}
