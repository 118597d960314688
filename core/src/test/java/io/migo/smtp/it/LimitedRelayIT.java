package io.migo.smtp.it;

import io.migo.smtp.testkit.Await;
import io.migo.smtp.testkit.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The rate-limited relay that {@code scripts/test-servers.sh} runs beside the unlimited ports (same Postfix, extra
 * smtpd services whose limits Postfix's anvil enforces per client address and per port) refuses exactly as documented
 * there and in the properties file. This verifies the server, not migo: it talks SMTP by hand over JDK sockets.
 *
 * <h2>Why no check depends on the machine's speed</h2>
 * <ul>
 *   <li>Every check is a new client: it binds a random, unused 127.x.y.z source address (Linux routes all of 127/8 to
 *   lo, and anvil counts per address), so its counters start at zero whatever ran before.</li>
 *   <li>The concurrency limit counts open connections, not time: the first connections are held open (their greeting
 *   read, so anvil has counted them) while the next one connects. The recipient limit counts RCPTs in one
 *   transaction, not time either.</li>
 *   <li>Rates are counted in a fixed window: anvil opens it at the client's first event (its connection) and starts
 *   a new one, counters at zero, at the first event more than a unit later (in whole seconds, so a window lasts
 *   between one unit and one unit plus a second). A burst of limit + 1 events that ends within one unit of the moment
 *   just before this test connected cannot have crossed into a second window, so its last event must be refused;
 *   the events before it are accepted in any case (a new window only lowers the count). A burst that took longer
 *   than a unit and was not refused proves nothing: it is retried from another fresh address, up to
 *   {@link #ATTEMPTS} times. With 10 s units and bursts of a dozen round trips, a machine needs a retry only when it
 *   is thousands of times slower than usual, and fails only when it is that slow {@value #ATTEMPTS} times in a
 *   row, which is a hang.</li>
 *   <li>Each refusal is a session error, and Postfix delays every reply by a second once a session has made its soft
 *   error limit of errors. Only the AUTH burst gets there (its failed logins are errors too), so its last reply comes
 *   a second late; that second lies inside the measured burst, and a unit is ten of them.</li>
 * </ul>
 * Each refusal is also looked up in the maillog, which says which limit refused it (a concurrency and a connection
 * rate refusal have the same 421 reply).
 */
class LimitedRelayIT {

  /** Bursts that took longer than a rate window and were not refused are retried this many times in all. */
  private static final int ATTEMPTS = 5;
  private static final String SENDER = "limited@example.test";

  private static TestServers servers;
  private static String host;
  private static Path maillog;
  private static Duration unit;

  @BeforeAll
  static void setUp() {
    servers = TestServers.require();
    host = servers.get("host");
    maillog = Path.of(servers.get("postfix.log"));
    unit = Duration.ofSeconds(servers.port("postfix.limited.unit.seconds"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"postfix.limited.plain.port", "postfix.limited.submission.port"})
  void aConnectionBeyondTheConcurrencyLimitIsRefusedInsteadOfTheGreeting(String portKey) throws IOException {
    int port = servers.port(portKey);
    int limit = servers.port("postfix.limited.connections");
    InetAddress client = freshClient();
    long logMark = logSize();
    List<HandClient> open = new ArrayList<>();
    try {
      for (int i = 1; i <= limit; i++) {
        HandClient connection = HandClient.connect(client, host, port);
        open.add(connection);
        assertThat(connection.greeting().code()).as("greeting of connection %d of %d", i, limit).isEqualTo(220);
      }
      try (HandClient oneTooMany = HandClient.connect(client, host, port)) {
        assertThat(oneTooMany.greeting().text())
          .isEqualTo("421 4.7.0 " + servers.get("hostname") + " Error: too many connections from "
            + client.getHostAddress());
        assertThat(oneTooMany.closedByServer()).as("the server hangs up after its 421").isTrue();
      }
    } finally {
      open.forEach(HandClient::close);
    }
    awaitLogLine(logMark, "Connection concurrency limit exceeded: " + (limit + 1) + " from unknown[" + client.getHostAddress()
      + "] for service " + host + ":" + port);
  }

  @ParameterizedTest
  @ValueSource(strings = {"postfix.limited.plain.port", "postfix.limited.submission.port"})
  void aMailCommandBeyondTheMessageRateIsRefusedAtMail(String portKey) throws IOException {
    int port = servers.port(portKey);
    int limit = servers.port("postfix.limited.messages.per.unit");
    long logMark = logSize();
    Burst result = inOneRateWindow(client -> {
      try (HandClient session = authenticatedSession(client, port)) {
        for (int i = 1; i <= limit; i++) {
          session.expect(250, "MAIL FROM:<" + SENDER + ">");
          session.expect(250, "RSET");
        }
        return session.send("MAIL FROM:<" + SENDER + ">");
      }
    });
    assertThat(result.overLimit().text()).isEqualTo("450 4.7.1 Error: too much mail from " + result.client());
    awaitLogLine(logMark, "Message delivery request rate limit exceeded: " + (limit + 1) + " from unknown[" + result.client()
      + "] for service " + host + ":" + port);
  }

  @Test
  void anAuthCommandBeyondTheAuthRateIsRefusedAtAuth() throws IOException {
    int port = servers.port("postfix.limited.plain.port");
    int limit = servers.port("postfix.limited.auth.per.unit");
    // A session authenticates once (a second AUTH is "503 already authenticated", before anvil is asked), so the
    // burst is failed logins: each counts as an AUTH command, and as one session error.
    String wrongPassword = plainResponse(servers.user(), "not-" + servers.password());
    long logMark = logSize();
    Burst result = inOneRateWindow(client -> {
      try (HandClient session = HandClient.connect(client, host, port)) {
        session.expect(220, null);
        session.expect(250, "EHLO limited-relay-it");
        for (int i = 1; i <= limit; i++) {
          session.expect(535, "AUTH PLAIN " + wrongPassword);
        }
        return session.send("AUTH PLAIN " + wrongPassword);
      }
    });
    assertThat(result.overLimit().text()).isEqualTo("450 4.7.1 Error: too many AUTH commands from "
      + result.client());
    awaitLogLine(logMark, "AUTH command rate limit exceeded: " + (limit + 1) + " from unknown[" + result.client()
      + "] for service " + host + ":" + port);
  }

  @Test
  void aRecipientBeyondTheLimitIsRefusedAndTheMessageGoesToTheOthers() throws IOException {
    int port = servers.port("postfix.limited.plain.port");
    int limit = servers.port("postfix.limited.recipients");
    String queueId;
    long logMark = logSize();
    try (HandClient session = authenticatedSession(freshClient(), port)) {
      session.expect(250, "MAIL FROM:<" + SENDER + ">");
      for (int i = 1; i <= limit; i++) {
        session.expect(250, "RCPT TO:<limited-" + i + "@example.test>");
      }
      assertThat(session.send("RCPT TO:<limited-" + (limit + 1) + "@example.test>").text())
        .isEqualTo("452 4.5.3 Error: too many recipients");
      session.expect(354, "DATA");
      Reply queued = session.send("Subject: recipient limit " + UUID.randomUUID() + "\r\n\r\nto the first "
        + limit + "\r\n.");
      assertThat(queued.code()).isEqualTo(250);
      Matcher id = Pattern.compile("queued as (\\w+)").matcher(queued.text());
      assertThat(id.find()).as("queue id in %s", queued.text()).isTrue();
      queueId = id.group(1);
      session.expect(221, "QUIT");
    }
    // qmgr logs the recipients the queue file holds: the refused one is not among them.
    awaitLogLine(logMark, queueId + ": from=<" + SENDER + ">", "nrcpt=" + limit + " ");
  }

  /**
   * The same pattern on the ordinary plain port from a fresh loopback address: nothing is refused, because that port
   * keeps Postfix's default exceptions ($mynetworks, all of 127/8). The rest of the suite relies on it.
   */
  @Test
  void theUnlimitedPortRefusesNoneOfIt() throws IOException {
    int port = servers.port("postfix.plain.port");
    InetAddress client = freshClient();
    List<HandClient> open = new ArrayList<>();
    try {
      for (int i = 1; i <= servers.port("postfix.limited.connections") + 1; i++) {
        HandClient connection = HandClient.connect(client, host, port);
        open.add(connection);
        assertThat(connection.greeting().code()).as("greeting of connection %d", i).isEqualTo(220);
      }
    } finally {
      open.forEach(HandClient::close);
    }
    try (HandClient session = authenticatedSession(freshClient(), port)) {
      for (int i = 1; i <= servers.port("postfix.limited.messages.per.unit") + 1; i++) {
        session.expect(250, "MAIL FROM:<" + SENDER + ">");
        session.expect(250, "RSET");
      }
      session.expect(250, "MAIL FROM:<" + SENDER + ">");
      for (int i = 1; i <= servers.port("postfix.limited.recipients") + 1; i++) {
        session.expect(250, "RCPT TO:<unlimited-" + i + "@example.test>");
      }
      session.expect(250, "RSET");
      session.expect(221, "QUIT");
    }
  }

  // ------------------------------------------------------------------------------------------------ helpers

  /** A session from {@code client}, past EHLO (and STARTTLS where the port requires it) and AUTH PLAIN. */
  private static HandClient authenticatedSession(InetAddress client, int port) throws IOException {
    HandClient session = HandClient.connect(client, host, port);
    try {
      session.expect(220, null);
      Reply ehlo = session.expect(250, "EHLO limited-relay-it");
      if (ehlo.lines().stream().anyMatch(line -> line.substring(4).startsWith("STARTTLS"))) {
        session.expect(220, "STARTTLS");
        session.startTls(trustingTheTestCa(), servers.get("hostname"), port);
        session.expect(250, "EHLO limited-relay-it");
      }
      session.expect(235, "AUTH PLAIN " + plainResponse(servers.user(), servers.password()));
      return session;
    } catch (IOException | RuntimeException | AssertionError e) {
      session.close();
      throw e;
    }
  }

  private static String plainResponse(String user, String password) {
    return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** The refusal-or-not of a burst's last event, and the client address it came from. */
  private record Burst(String client, Reply overLimit) {
  }

  @FunctionalInterface
  private interface BurstFromClient {
    /** Sends limit events (asserting they are accepted), then one more, and returns the reply to that one. */
    Reply run(InetAddress client) throws IOException;
  }

  /** Runs {@code burst} from fresh clients until a run is refused or provably fitted in one window (see above). */
  private static Burst inOneRateWindow(BurstFromClient burst) throws IOException {
    List<String> tooSlow = new ArrayList<>();
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      InetAddress client = freshClient();
      long started = System.nanoTime();
      Reply overLimit = burst.run(client);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      if (overLimit.code() >= 400 || took.compareTo(unit) <= 0) {
        return new Burst(client.getHostAddress(), overLimit);
      }
      tooSlow.add(took.toMillis() + " ms (" + overLimit.text() + ")");
    }
    return fail("every burst took longer than one rate window of " + unit.toSeconds() + " s and was accepted: "
      + tooSlow);
  }

  /**
   * A loopback address no check has used yet, so anvil has no counters for it: random in 127.16.0.0–127.254.255.254,
   * away from the 127.0.0.x addresses that the other tests and servers use.
   */
  private static InetAddress freshClient() throws IOException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    byte[] address = {127, (byte) random.nextInt(16, 255), (byte) random.nextInt(0, 256),
      (byte) random.nextInt(1, 255)};
    return InetAddress.getByAddress(address);
  }

  private static long logSize() throws IOException {
    return Files.size(maillog);
  }

  /**
   * Waits until the maillog, from byte {@code mark} on (its size before the check began: the suite's other tests
   * make it long), has a line containing every one of {@code parts}. postlogd writes it asynchronously.
   */
  private static void awaitLogLine(long mark, String... parts) {
    Await.until(() -> logSince(mark).lines().anyMatch(line -> List.of(parts).stream().allMatch(line::contains)),
      "a line in " + maillog + " with " + List.of(parts));
  }

  private static String logSince(long mark) {
    try (SeekableByteChannel log = Files.newByteChannel(maillog)) {
      log.position(mark);
      return new String(Channels.newInputStream(log).readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static SSLContext trustingTheTestCa() throws IOException {
    try (InputStream pem = Files.newInputStream(Path.of(servers.get("ca.pem")))) {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry("migo-test-ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot trust " + servers.get("ca.pem"), e);
    }
  }

  /** A reply: its code and its lines as received, e.g. {@code 250-PIPELINING}. */
  private record Reply(int code, List<String> lines) {
    /** The last line, which carries the enhanced code and the text of a one-line reply. */
    String text() {
      return lines.get(lines.size() - 1);
    }
  }

  /**
   * SMTP by hand over a blocking socket bound to a chosen client address: one command line, one reply. Reads are
   * bounded by {@link Await#LIMIT} so that a silent server fails the test instead of hanging it.
   */
  private static final class HandClient implements Closeable {

    private Socket socket;
    private BufferedReader in;
    private OutputStream out;

    private HandClient(Socket socket) throws IOException {
      use(socket);
    }

    static HandClient connect(InetAddress client, String host, int port) throws IOException {
      Socket socket = new Socket();
      try {
        socket.setSoTimeout((int) Await.LIMIT.toMillis());
        socket.bind(new InetSocketAddress(client, 0));
        socket.connect(new InetSocketAddress(host, port), (int) Await.LIMIT.toMillis());
        return new HandClient(socket);
      } catch (IOException e) {
        socket.close();
        throw e;
      }
    }

    private void use(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      this.out = socket.getOutputStream();
    }

    Reply greeting() throws IOException {
      return read();
    }

    /** Sends {@code line} (none if null: the greeting) and returns the reply. */
    Reply send(String line) throws IOException {
      if (line != null) {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      return read();
    }

    /** {@link #send}, asserting the reply code. */
    Reply expect(int code, String line) throws IOException {
      Reply reply = send(line);
      assertThat(reply.code()).as("reply to %s: %s", line == null ? "the connection" : line, reply.lines())
        .isEqualTo(code);
      return reply;
    }

    void startTls(SSLContext context, String serverName, int port) throws IOException {
      SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, serverName, port, true);
      tls.setUseClientMode(true);
      var parameters = tls.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      tls.setSSLParameters(parameters);
      tls.startHandshake();
      use(tls);
    }

    /** True once the server has closed its side (end of stream with nothing more to read). */
    boolean closedByServer() throws IOException {
      return in.read() == -1;
    }

    private Reply read() throws IOException {
      List<String> lines = new ArrayList<>();
      while (true) {
        String line = in.readLine();
        if (line == null) {
          throw new IOException("connection closed by the server after " + lines);
        }
        lines.add(line);
        if (line.length() < 4 || line.charAt(3) != '-') {
          return new Reply(Integer.parseInt(line.substring(0, 3)), List.copyOf(lines));
        }
      }
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Nothing to do: the test is over with this connection.
      }
    }
  }
}
