package io.migo.smtp.demo;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import org.subethamail.smtp.AuthenticationHandler;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An SMTP server inside the process, set up like a submission relay should be: STARTTLS required before anything
 * else, AUTH (PLAIN or LOGIN) required before MAIL, and a certificate for {@code localhost} generated at start that
 * clients trust explicitly through {@link #trustOptions()} while still verifying the host name.
 *
 * <p>It wraps SubEthaSMTP, which offers neither PIPELINING nor anything but PLAIN and LOGIN; it accepts every
 * message from the demo user, counts it, and keeps the last {@value #KEPT_MESSAGES} for tests to look at.
 */
public final class EmbeddedSmtpServer implements AutoCloseable {

  /** The name clients connect to; the certificate is issued for it (and for 127.0.0.1). */
  public static final String HOST = "localhost";
  public static final String DEFAULT_USER = "demo@migo.test";
  public static final String DEFAULT_PASSWORD = "demo-secret";
  static final int KEPT_MESSAGES = 100;

  /**
   * One accepted message: the envelope, the bytes as received (headers and body, dot-unstuffed, CRLF), and what the
   * session it came in on had established: whether TLS was on (STARTTLS done) and the user who authenticated
   * ({@code null} for none). The server requires both, so a test asserting them checks that the client did them,
   * not just that the message got through.
   */
  public record ReceivedMessage(String sender, List<String> recipients, byte[] content, boolean tls,
                                String authenticatedUser) {

    public ReceivedMessage {
      recipients = List.copyOf(recipients);
    }

    public String contentAsString() {
      return new String(content, StandardCharsets.UTF_8);
    }
  }

  private final String user;
  private final String password;
  private final AtomicLong receivedCount = new AtomicLong();
  private final Deque<ReceivedMessage> lastMessages = new ArrayDeque<>();
  private SelfSignedCertificate certificate;
  private SMTPServer server;

  public EmbeddedSmtpServer() {
    this(DEFAULT_USER, DEFAULT_PASSWORD);
  }

  public EmbeddedSmtpServer(String user, String password) {
    this.user = user;
    this.password = password;
  }

  /** Generates the certificate and listens on 127.0.0.1, on a free port. */
  public synchronized EmbeddedSmtpServer start() {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    certificate = SelfSignedCertificate.generate(HOST);
    server = SMTPServer.port(0)
      .bindAddress(InetAddress.getLoopbackAddress())
      .hostName(HOST)
      .softwareName("migo-smtp demo server")
      .startTlsSocketFactory(sslContext(certificate), false)
      .enableTLS()
      .requireTLS()
      .requireAuth()
      .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory(this::login))
      .messageHandlerFactory(Receiver::new)
      .connectionTimeout(60, TimeUnit.SECONDS)
      .build();
    server.start();
    return this;
  }

  public synchronized void stop() {
    if (server != null) {
      server.stop();
      server = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.getPortAllocated();
  }

  public String host() {
    return HOST;
  }

  /** Trust in exactly the generated certificate, nothing else (not the JVM's CAs). */
  public synchronized TrustOptions trustOptions() {
    if (certificate == null) {
      throw new IllegalStateException("not started");
    }
    return new PemTrustOptions().addCertValue(Buffer.buffer(certificate.certificatePem()));
  }

  /** The generated certificate in PEM, e.g. to write to a file for {@code send --ca-cert}. */
  public synchronized String certificatePem() {
    if (certificate == null) {
      throw new IllegalStateException("not started");
    }
    return certificate.certificatePem();
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** Messages accepted since start (or the last {@link #reset()}), counting each message once whatever its recipients. */
  public long received() {
    return receivedCount.get();
  }

  /** The last messages accepted, oldest first; at most {@value #KEPT_MESSAGES}. */
  public List<ReceivedMessage> lastMessages() {
    synchronized (lastMessages) {
      return new ArrayList<>(lastMessages);
    }
  }

  public void reset() {
    synchronized (lastMessages) {
      lastMessages.clear();
      receivedCount.set(0);
    }
  }

  private void login(String username, String secret, MessageContext context) throws LoginFailedException {
    // Constant-time comparison: a demo, but the habit is worth showing.
    boolean userOk = MessageDigest.isEqual(username.getBytes(StandardCharsets.UTF_8),
      user.getBytes(StandardCharsets.UTF_8));
    boolean passwordOk = MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
      password.getBytes(StandardCharsets.UTF_8));
    if (!(userOk && passwordOk)) {
      throw new LoginFailedException("authentication failed");
    }
  }

  private void accept(ReceivedMessage message) {
    synchronized (lastMessages) {
      if (lastMessages.size() == KEPT_MESSAGES) {
        lastMessages.removeFirst();
      }
      lastMessages.addLast(message);
      receivedCount.incrementAndGet();
    }
  }

  private static SSLContext sslContext(SelfSignedCertificate certificate) {
    try {
      KeyStore keyStore = certificate.keyStore();
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keyStore, SelfSignedCertificate.KEY_STORE_PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS for the embedded server", e);
    }
  }

  /** One per SMTP transaction, called on that session's thread. */
  private final class Receiver implements MessageHandler {
    private final MessageContext context;
    private String sender;
    private final List<String> recipients = new ArrayList<>();

    Receiver(MessageContext context) {
      this.context = context;
    }

    @Override
    public void from(String from) {
      this.sender = from;
    }

    @Override
    public void recipient(String recipient) {
      recipients.add(recipient);
    }

    @Override
    public String data(InputStream data) throws IOException {
      accept(new ReceivedMessage(sender, recipients, data.readAllBytes(), overTls(), authenticatedUser()));
      return null;
    }

    @Override
    public void done() {
    }

    /** SubEthaSMTP's context is the session, which knows whether STARTTLS was done on its socket. */
    private boolean overTls() {
      return context instanceof Session session && session.isTLSStarted()
        && session.getSocket() instanceof SSLSocket;
    }

    /** The name the authentication handler accepted (PLAIN and LOGIN report the user name), or null. */
    private String authenticatedUser() {
      return context.getAuthenticationHandler()
        .map(AuthenticationHandler::getIdentity)
        .map(Object::toString)
        .orElse(null);
    }
  }
}
