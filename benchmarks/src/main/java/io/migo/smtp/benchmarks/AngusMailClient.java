package io.migo.smtp.benchmarks;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Jakarta Mail as its users run it for bulk sending: Angus Mail (the Eclipse implementation), blocking, so
 * {@code concurrency} threads, each with its own {@link Transport} connected once and reused for every message it
 * sends (the {@code Transport.send} shortcut would connect per message, which no bulk sender does). A fresh
 * {@link MimeMessage} per send, as {@code migo} and {@code vertx-mail} build a fresh {@code MailMessage}. Angus has no
 * PIPELINING: every command waits for its reply.
 */
final class AngusMailClient extends LoadClient {

  private final Session session;
  private final ExecutorService threads;
  private final ThreadLocal<Transport> transport = new ThreadLocal<>();
  /** Every connected transport, to end each with QUIT at close. */
  private final List<Transport> connected = new CopyOnWriteArrayList<>();

  AngusMailClient(String host, int port, int concurrency, TlsSettings tls) {
    Properties props = new Properties();
    props.put("mail.smtp.host", host);
    props.put("mail.smtp.port", String.valueOf(port));
    props.put("mail.smtp.localhost", "localhost");
    props.put("mail.smtp.auth", "false");
    props.put("mail.smtp.starttls.enable", "false");
    props.put("mail.smtp.connectiontimeout", "30000");
    props.put("mail.smtp.timeout", "60000");
    if (tls.implicit()) {
      props.put("mail.smtp.ssl.enable", "true");
      props.put("mail.smtp.ssl.checkserveridentity", "true");
      try {
        props.put("mail.smtp.ssl.socketFactory", tls.socketFactory());
      } catch (Exception e) {
        throw new IllegalStateException("cannot load " + tls.caPem(), e);
      }
    }
    session = Session.getInstance(props);
    AtomicInteger n = new AtomicInteger();
    threads = Executors.newFixedThreadPool(concurrency, r -> {
      Thread t = new Thread(r, "angus-mail-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public Future<?> send() {
    Promise<Void> sent = Promise.promise();
    threads.execute(() -> {
      try {
        MimeMessage message = newMimeMessage();
        transport().sendMessage(message, message.getAllRecipients());
        sent.complete();
      } catch (Exception e) {
        sent.fail(e);
      }
    });
    return sent.future();
  }

  private MimeMessage newMimeMessage() throws MessagingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress(FROM));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress(TO));
    message.setSubject(SUBJECT);
    message.setText(TEXT);
    // What Transport.send does first: Message-ID, MIME headers (vertx-mail's encoder adds the same).
    message.saveChanges();
    return message;
  }

  /** This thread's transport, connected on first use. Not isConnected(): Angus sends a NOOP for that. */
  private Transport transport() throws MessagingException {
    Transport t = transport.get();
    if (t == null) {
      t = session.getTransport("smtp");
      t.connect();
      transport.set(t);
      connected.add(t);
    }
    return t;
  }

  @Override
  public Future<Void> close() {
    threads.shutdown();
    try {
      threads.awaitTermination(30, TimeUnit.SECONDS);
      for (Transport t : connected) {
        t.close();
      }
      return Future.succeededFuture();
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }
}
