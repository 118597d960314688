package io.migo.smtp.benchmarks;

import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Not JMH: sends {@code count} messages per round with {@code concurrency} in flight, for each client kind, and prints
 * messages per second and the CPU each message cost, measured by the JVM's process CPU time.
 *
 * <p>Against {@code external} (Postfix's smtp-sink in its own process) the process CPU is the client's alone: that is
 * the figure to drive down. Against {@code embedded} the process also runs the sink; the sink's event loop thread is
 * measured separately and subtracted, so {@code client µs/msg} is comparable in both cases (the sink's socket work in
 * the kernel is charged to its thread too). It also prints bytes allocated per message (all threads but the sink's),
 * TCP segments per message (loopback: both directions) and, for the embedded sink, its reads and reply writes per
 * message: reply writes per message are the round trips each message waited for. "rest of machine" is the CPU
 * spent outside this JVM during a round, per message: with {@code external} on an otherwise idle machine that is the
 * server's cost; when it is large with {@code embedded}, something else was running and the round is suspect.
 *
 * <p>Options, as {@code --name=value} or {@code -Dprobe.name=value}:
 * <ul>
 *   <li>{@code target}: embedded (default) or external ({@code -Dsmtp.host}, {@code -Dsmtp.port}, default
 *   127.0.0.1:10026);</li>
 *   <li>{@code clients}: comma-separated, default {@code migo,migo-raw,vertx-mail}; run one per JVM for the cleanest
 *   figures (JIT profiles of one client otherwise colour the next);</li>
 *   <li>{@code concurrency} (default 8), {@code count} (messages per measured round, default 20000),
 *   {@code warmup} (messages before measuring, default = count) and {@code warmup-seconds} (at least that long,
 *   default 8), {@code rounds} (default 5; the median by msgs/s is reported);</li>
 *   <li>{@code sink-counter}: the output file of an external {@code smtp-sink -c}; when given, the server's message
 *   counter must have grown by exactly the number of messages reported delivered;</li>
 *   <li>{@code server-pids}: comma-separated pids of the external server's processes (smtp-sink, stunnel) whose CPU
 *   per message is reported as {@code srv µs/msg};</li>
 *   <li>TLS to an external server: {@code -Dsmtp.tls=implicit -Dsmtp.ca=ca.pem -Dsmtp.tlsEngine=auto|jdk|openssl}
 *   ({@link TlsSettings}).</li>
 * </ul>
 */
public final class ThroughputProbe {

  private static final com.sun.management.OperatingSystemMXBean OS =
    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final com.sun.management.ThreadMXBean THREADS =
    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final Map<String, String> options;

  private ThroughputProbe(Map<String, String> options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    new ThroughputProbe(options).run();
  }

  private String option(String name, String otherwise) {
    return options.getOrDefault(name, System.getProperty("probe." + name, otherwise));
  }

  private int intOption(String name, int otherwise) {
    return Integer.parseInt(option(name, Integer.toString(otherwise)).replace("_", "").replace(",", ""));
  }

  /** One measured round. */
  private record Round(int messages, long wallNs, long processCpuNs, long sinkCpuNs, long allocatedBytes,
                       long gcCount, long gcMs, long tcpSegments, long sinkReads, long sinkWrites,
                       long machineBusyNs, long userNs, long sysNs, long serversCpuNs) {
    double msgsPerSecond() {
      return messages * 1e9 / wallNs;
    }

    double processUsPerMsg() {
      return processCpuNs / 1e3 / messages;
    }

    double clientUsPerMsg() {
      return (processCpuNs - sinkCpuNs) / 1e3 / messages;
    }

    double sinkUsPerMsg() {
      return sinkCpuNs / 1e3 / messages;
    }

    double allocatedPerMsg() {
      return (double) allocatedBytes / messages;
    }

    /** CPU used on the machine outside this JVM (an external server, the kernel's share, other work), per message. */
    double restOfMachineUsPerMsg() {
      return machineBusyNs < 0 ? Double.NaN : (machineBusyNs - processCpuNs) / 1e3 / messages;
    }

    double userUsPerMsg() {
      return userNs < 0 ? Double.NaN : userNs / 1e3 / messages;
    }

    double sysUsPerMsg() {
      return sysNs < 0 ? Double.NaN : sysNs / 1e3 / messages;
    }

    /** CPU of the external server processes named by {@code server-pids} (e.g. stunnel and smtp-sink), per message. */
    double serversUsPerMsg() {
      return serversCpuNs < 0 ? Double.NaN : serversCpuNs / 1e3 / messages;
    }

    double segmentsPerMsg() {
      return (double) tcpSegments / messages;
    }
  }

  private void run() throws Exception {
    String targetName = option("target", "embedded");
    List<String> clients = Arrays.asList(option("clients", String.join(",", LoadClient.KINDS)).split(","));
    int concurrency = intOption("concurrency", 8);
    int count = intOption("count", 20_000);
    int warmup = intOption("warmup", count);
    int warmupSeconds = intOption("warmup-seconds", 8);
    int rounds = intOption("rounds", 5);
    String sinkCounter = option("sink-counter", null);
    long[] serverPids = pids(option("server-pids", ""));
    TlsSettings tls = targetName.equals("external") ? TlsSettings.fromSystemProperties() : TlsSettings.NONE;
    long timeoutMs = 60_000 + count;  // a bound: at least 1,000 msgs/s

    System.out.printf(Locale.ROOT, "ThroughputProbe: target=%s concurrency=%d count=%d warmup=%d msgs and >= %d s "
        + "rounds=%d message=%d bytes, cpus=%d, %s %s, %s%n", targetName, concurrency, count, warmup, warmupSeconds,
      rounds, LoadClient.renderedMessage().length(), OS.getAvailableProcessors(), System.getProperty("java.vm.name"),
      System.getProperty("java.version"), tls);

    List<String> summary = new ArrayList<>();
    for (String kind : clients) {
      try (Target target = Target.open(targetName)) {
        SinkServer sink = target.sink();
        long sinkBefore = sink != null ? sink.messages() : 0;
        long counterBefore = sinkCounter != null ? lastCounter(sinkCounter) : 0;
        Vertx vertx = Vertx.vertx();
        LoadClient client = LoadClient.create(kind, vertx, target.host(), target.port(), concurrency, tls);
        long delivered = 0;
        List<Round> measured = new ArrayList<>();
        try {
          // Warm up until both the message count and the time are reached: C2 needs seconds, not messages.
          long warmupEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
          long warmed = 0;
          do {
            // Batches of normal size: the warm-up must run the same concurrency as the measurement.
            int n = (int) Math.min(count, Math.max(concurrency * 100L, warmup - warmed));
            warmed += Window.run(client::send, n, concurrency, timeoutMs);
          } while (warmed < warmup || System.nanoTime() < warmupEnd);
          delivered += warmed;
          for (int r = 0; r < rounds; r++) {
            Round round = measure(client, sink, count, concurrency, timeoutMs, serverPids);
            delivered += round.messages();
            measured.add(round);
            System.out.printf(Locale.ROOT, "  %-10s %-8s c=%-3d round %d: %,9.0f msgs/s"
                + "  process %6.1f µs/msg (user %.1f sys %.1f)  client %6.1f µs/msg%s  alloc %,7.0f B/msg"
                + "  gc %d (%d ms)  tcp segs %.1f/msg  rest of machine %.1f µs/msg%s%n", kind,
              targetName, concurrency, r + 1, round.msgsPerSecond(), round.processUsPerMsg(), round.userUsPerMsg(),
              round.sysUsPerMsg(), round.clientUsPerMsg(),
              sink != null ? String.format(Locale.ROOT, "  sink %5.1f µs/msg, %.2f reads %.2f replies /msg",
                round.sinkUsPerMsg(), (double) round.sinkReads() / round.messages(),
                (double) round.sinkWrites() / round.messages()) : "",
              round.allocatedPerMsg(), round.gcCount(), round.gcMs(), round.segmentsPerMsg(),
              round.restOfMachineUsPerMsg(), serverPids.length == 0 ? ""
                : String.format(Locale.ROOT, "  servers %.1f µs/msg", round.serversUsPerMsg()));
          }
        } finally {
          client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
          vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        String check = verify(kind, sink, sinkBefore, sinkCounter, counterBefore, delivered);
        measured.sort((a, b) -> Double.compare(a.msgsPerSecond(), b.msgsPerSecond()));
        Round median = measured.get(measured.size() / 2);
        summary.add(String.format(Locale.ROOT, "%-10s %-8s %4d %,12.0f %12.1f %12.1f %12.0f %9.1f %12.1f  %s", kind,
          targetName, concurrency, median.msgsPerSecond(), median.processUsPerMsg(), median.clientUsPerMsg(),
          median.allocatedPerMsg(), median.segmentsPerMsg(), median.serversUsPerMsg(), check));
      }
    }
    System.out.println();
    System.out.println("median of " + rounds + " rounds by msgs/s:");
    System.out.printf("%-10s %-8s %4s %12s %12s %12s %12s %9s %12s  %s%n", "client", "target", "conc", "msgs/s",
      "proc µs/msg", "client µs/m", "alloc B/msg", "segs/msg", "srv µs/msg", "check");
    summary.forEach(System.out::println);
    if (targetName.equals("embedded")) {
      System.out.println(
        "(embedded: 'proc' includes the in-JVM sink; 'client' subtracts the sink's event loop thread)");
    } else {
      System.out.println("(external: the server runs in its own process; 'proc' = 'client' = this JVM's CPU)");
    }
  }

  private static Round measure(LoadClient client, SinkServer sink, int count, int concurrency, long timeoutMs,
                               long[] serverPids) throws Exception {
    long servers0 = processesCpuNs(serverPids);
    long[] ids = THREADS.getAllThreadIds();
    long alloc0 = sum(THREADS.getThreadAllocatedBytes(ids));
    long sinkAlloc0 = sink != null ? THREADS.getThreadAllocatedBytes(sink.eventLoopThreadId()) : 0;
    long sinkCpu0 = sink != null ? THREADS.getThreadCpuTime(sink.eventLoopThreadId()) : 0;
    long[] gc0 = gc();
    long segs0 = tcpOutSegments();
    long reads0 = sink != null ? sink.reads() : 0;
    long writes0 = sink != null ? sink.writes() : 0;
    long[] us0 = userSys();
    long busy0 = machineBusyNs();
    long cpu0 = OS.getProcessCpuTime();
    long t0 = System.nanoTime();
    int n = Window.run(client::send, count, concurrency, timeoutMs);
    long t1 = System.nanoTime();
    long cpu1 = OS.getProcessCpuTime();
    long busy1 = machineBusyNs();
    long servers1 = processesCpuNs(serverPids);
    long[] us1 = userSys();
    long segs1 = tcpOutSegments();
    long reads1 = sink != null ? sink.reads() : 0;
    long writes1 = sink != null ? sink.writes() : 0;
    long[] gc1 = gc();
    long sinkCpu1 = sink != null ? THREADS.getThreadCpuTime(sink.eventLoopThreadId()) : 0;
    long sinkAlloc1 = sink != null ? THREADS.getThreadAllocatedBytes(sink.eventLoopThreadId()) : 0;
    // Threads born during the round are missed, threads that died are dropped: the event loops live throughout.
    long alloc1 = sum(THREADS.getThreadAllocatedBytes(ids));
    return new Round(n, t1 - t0, cpu1 - cpu0, sinkCpu1 - sinkCpu0, (alloc1 - alloc0) - (sinkAlloc1 - sinkAlloc0),
      gc1[0] - gc0[0], gc1[1] - gc0[1], segs1 - segs0, reads1 - reads0, writes1 - writes0,
      busy0 < 0 || busy1 < 0 ? -1 : busy1 - busy0,
      us0[0] < 0 ? -1 : us1[0] - us0[0], us0[1] < 0 ? -1 : us1[1] - us0[1],
      servers0 < 0 || servers1 < 0 ? -1 : servers1 - servers0);
  }

  private static long[] pids(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).filter(p -> !p.isEmpty()).mapToLong(Long::parseLong)
      .toArray();
  }

  /**
   * User + system CPU of other processes (all their threads), from {@code /proc/PID/stat}, in ns; -1 when none are
   * given or one cannot be read. For the external server's side of the cost: over TLS, the terminator's share.
   */
  private static long processesCpuNs(long[] pids) {
    if (pids.length == 0) {
      return -1;
    }
    long total = 0;
    for (long pid : pids) {
      try {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
      } catch (IOException | RuntimeException e) {
        return -1;
      }
    }
    return total;
  }

  /**
   * This process's user and system (kernel) CPU time from {@code /proc/self/stat}, in ns (USER_HZ ticks, assumed
   * 100 Hz). Over loopback the kernel's TCP work for both ends of a segment is mostly charged to the sender.
   */
  private static long[] userSys() {
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) ": state(3) ... utime is field 14, stime field 15 -> indexes 11 and 12 here
      return new long[] {Long.parseLong(f[11]) * 10_000_000L, Long.parseLong(f[12]) * 10_000_000L};
    } catch (IOException | RuntimeException e) {
      return new long[] {-1, -1};
    }
  }

  /** CPU time used on the whole machine, all cores, from {@code /proc/stat} (USER_HZ ticks, assumed 100 Hz). */
  private static long machineBusyNs() {
    try {
      String cpu = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0);
      String[] f = cpu.trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal ...
      long ticks = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
        + Long.parseLong(f[7]) + Long.parseLong(f[8]);
      return ticks * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * TCP segments sent in this network namespace ({@code /proc/net/snmp}, Tcp OutSegs): over loopback, client and
   * server segments both, and those of anything else running on the machine. -1 where unavailable.
   */
  private static long tcpOutSegments() {
    try {
      List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/snmp"));
      for (int i = 0; i + 1 < lines.size(); i++) {
        if (lines.get(i).startsWith("Tcp:") && lines.get(i + 1).startsWith("Tcp:")) {
          List<String> names = Arrays.asList(lines.get(i).split("\\s+"));
          String[] values = lines.get(i + 1).split("\\s+");
          return Long.parseLong(values[names.indexOf("OutSegs")]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  private static long sum(long[] values) {
    long s = 0;
    for (long v : values) {
      if (v > 0) {
        s += v;
      }
    }
    return s;
  }

  private static long[] gc() {
    long count = 0;
    long ms = 0;
    for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, bean.getCollectionCount());
      ms += Math.max(0, bean.getCollectionTime());
    }
    return new long[] {count, ms};
  }

  private static String verify(String kind, SinkServer sink, long sinkBefore, String sinkCounter, long counterBefore,
                               long delivered) throws Exception {
    if (sink != null) {
      long received = sink.messages() - sinkBefore;
      if (received != delivered) {
        throw new IllegalStateException(kind + ": the sink received " + received + " messages, the client reported "
          + delivered + " delivered");
      }
      return "sink count ok (" + received + ")";
    }
    if (sinkCounter != null) {
      Thread.sleep(200);  // smtp-sink writes its counter line after the reply
      long received = lastCounter(sinkCounter) - counterBefore;
      if (received != delivered) {
        throw new IllegalStateException(kind + ": smtp-sink counted " + received + " messages, the client reported "
          + delivered + " delivered");
      }
      return "smtp-sink -c count ok (" + received + ")";
    }
    return "not counted (" + delivered + " reported delivered)";
  }

  private static final Pattern MESG = Pattern.compile("mesg=(\\d+)");

  /** The last {@code mesg=N} that {@code smtp-sink -c} wrote to its output file (0 if none yet). */
  private static long lastCounter(String file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file, "r")) {
      long length = f.length();
      int tail = (int) Math.min(length, 512);
      byte[] bytes = new byte[tail];
      f.seek(length - tail);
      f.readFully(bytes);
      Matcher m = MESG.matcher(new String(bytes, StandardCharsets.US_ASCII));
      long last = 0;
      while (m.find()) {
        last = Long.parseLong(m.group(1));
      }
      return last;
    }
  }
}
