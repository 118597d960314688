package io.migo.smtp.benchmarks;

import io.migo.smtp.Envelope;
import io.migo.smtp.MigoMailClient;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.TlsMode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.ext.mail.mailencoder.MailEncoder;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The clients under comparison, behind one "send a message" call, and the message they send.
 *
 * <ul>
 *   <li>{@code migo}: {@link SmtpClient#send(MailMessage)} with a fresh {@link MailMessage} per send (MIME encoding
 *   included in the cost);</li>
 *   <li>{@code migo-raw}: {@link SmtpClient#send(Envelope, Buffer)} with one pre-rendered message (the same bytes
 *   the {@code migo} path produces), so the difference to {@code migo} is the MIME encoding;</li>
 *   <li>{@code vertx-mail}: vertx-mail-client's {@link MailClient#sendMail(MailMessage)} with the same fresh
 *   {@link MailMessage} per send as {@code migo}, pipelining on, no AUTH;</li>
 *   <li>{@code migo-mailclient}: the {@code vertx-mail} code with one line changed: {@link MigoMailClient#create}
 *   instead of {@link MailClient#create} (vertx-mail-client's API and encoder on migo's sessions);</li>
 *   <li>{@code angus-mail}: Jakarta Mail (Angus Mail), one reused connection per thread: {@link AngusMailClient}.</li>
 * </ul>
 * Each runs without TLS, or with implicit TLS, trusting one CA and verifying the host name ({@link TlsSettings}).
 */
public abstract class LoadClient {

  public static final List<String> KINDS = List.of("migo", "migo-raw", "vertx-mail", "migo-mailclient", "angus-mail");

  static final String FROM = "sender@example.test";
  static final String TO = "rcpt@example.test";
  static final String SUBJECT = "migo-smtp benchmark";

  /**
   * A plain-text body of 2,000 characters: 40 lines of 49 ASCII characters plus LF, short enough that the encoder's
   * quoted-printable leaves them as they are (2,040 bytes on the wire with CRLF).
   */
  static final String TEXT = body();

  /** A new message per call: each send pays for building and encoding its own message, as an application would. */
  public static MailMessage newMailMessage() {
    return new MailMessage().setFrom(FROM).setTo(TO).setSubject(SUBJECT).setText(TEXT);
  }

  /** The message as migo's {@code send(MailMessage)} puts it on the wire (before dot-stuffing), rendered once. */
  public static Buffer renderedMessage() {
    return Buffer.buffer(new MailEncoder(newMailMessage(), "localhost").encode().getBytes(StandardCharsets.UTF_8));
  }

  public static Envelope envelope() {
    return Envelope.of(FROM, TO);
  }

  private static String body() {
    StringBuilder sb = new StringBuilder(2048);
    String line = "The quick brown fox jumps over the lazy dog. 0123";
    for (int i = 0; i < 40; i++) {
      sb.append(line, 0, 49).append('\n');
    }
    return sb.toString();
  }

  /** Starts one send; the future fails if the message was not accepted. */
  public abstract Future<?> send();

  public abstract Future<Void> close();

  public static LoadClient create(String kind, Vertx vertx, String host, int port, int concurrency) {
    return create(kind, vertx, host, port, concurrency, TlsSettings.NONE);
  }

  static LoadClient create(String kind, Vertx vertx, String host, int port, int concurrency, TlsSettings tls) {
    return switch (kind) {
      case "migo" -> new Migo(vertx, host, port, concurrency, tls);
      case "migo-raw" -> new MigoRaw(vertx, host, port, concurrency, tls);
      case "vertx-mail" -> new VertxMail(vertx, host, port, concurrency, tls, false);
      case "migo-mailclient" -> new VertxMail(vertx, host, port, concurrency, tls, true);
      case "angus-mail" -> new AngusMailClient(host, port, concurrency, tls);
      default -> throw new IllegalArgumentException("unknown client '" + kind + "', expected one of " + KINDS);
    };
  }

  static SmtpClient migoClient(Vertx vertx, String host, int port, int concurrency, TlsSettings tls) {
    SmtpClientOptions options = new SmtpClientOptions().setHost(host).setPort(port).setTlsMode(TlsMode.NONE);
    if (tls.implicit()) {
      options.setTlsMode(TlsMode.IMPLICIT).setTrustOptions(new PemTrustOptions().addCertPath(tls.caPem()))
        .setTlsEngine(tls.migoEngine());
    }
    return SmtpClient.create(vertx, options, new PoolOptions().setMaxSize(concurrency));
  }

  private static final class Migo extends LoadClient {
    private final SmtpClient client;

    Migo(Vertx vertx, String host, int port, int concurrency, TlsSettings tls) {
      client = migoClient(vertx, host, port, concurrency, tls);
    }

    @Override
    public Future<?> send() {
      return client.send(newMailMessage());
    }

    @Override
    public Future<Void> close() {
      return client.close();
    }
  }

  private static final class MigoRaw extends LoadClient {
    private final SmtpClient client;
    private final Envelope envelope = envelope();
    private final Buffer message = renderedMessage();

    MigoRaw(Vertx vertx, String host, int port, int concurrency, TlsSettings tls) {
      client = migoClient(vertx, host, port, concurrency, tls);
    }

    @Override
    public Future<?> send() {
      return client.send(envelope, message);
    }

    @Override
    public Future<Void> close() {
      return client.close();
    }
  }

  private static final class VertxMail extends LoadClient {
    private final MailClient client;

    /** With {@code migo}, the same MailConfig and MailClient calls through {@link MigoMailClient#create}. */
    VertxMail(Vertx vertx, String host, int port, int concurrency, TlsSettings tls, boolean migo) {
      MailConfig config = new MailConfig()
        .setHostname(host)
        .setPort(port)
        .setStarttls(StartTLSOptions.DISABLED)
        .setLogin(LoginOption.DISABLED)
        .setPipelining(true)
        .setMaxPoolSize(concurrency)
        .setKeepAlive(true);
      if (tls.implicit()) {
        config.setSsl(true).setTrustOptions(new PemTrustOptions().addCertPath(tls.caPem()));
        config.setHostnameVerificationAlgorithm("HTTPS");
        if (tls.vertxEngine() != null) {
          config.setSslEngineOptions(tls.vertxEngine());
        }
      }
      client = migo ? MigoMailClient.create(vertx, config) : MailClient.create(vertx, config);
    }

    @Override
    public Future<?> send() {
      return client.sendMail(newMailMessage());
    }

    @Override
    public Future<Void> close() {
      return client.close();
    }
  }
}
