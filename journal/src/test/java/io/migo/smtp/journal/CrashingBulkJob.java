package io.migo.smtp.journal;

import io.migo.smtp.BulkOptions;
import io.migo.smtp.PoolOptions;
import io.migo.smtp.RetryPolicy;
import io.migo.smtp.SmtpClient;
import io.migo.smtp.SmtpClientOptions;
import io.migo.smtp.TlsMode;
import io.migo.smtp.impl.bulk.CountingSource;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of {@link JournaledBulkSendTest#aJobKilledMidwayAndRunAgainDeliversEveryIdOnceButTheUnknownOnes}:
 * a bulk send with a journal of an endless list of mails ({@link JournaledBulkSendTest#mail(long)}) to the relay on
 * the port given. It never ends on its own: it is killed.
 */
public final class CrashingBulkJob {

  private CrashingBulkJob() {
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path file = Path.of(args[1]);
    Vertx vertx = Vertx.vertx();
    SqliteBulkJournal journal = SqliteBulkJournal.open(vertx, file).toCompletionStage().toCompletableFuture()
      .get(1, TimeUnit.MINUTES);
    SmtpClient client = SmtpClient.create(vertx, JournaledBulkSendTest.relayOptions(port),
      new PoolOptions().setMaxSize(4));
    vertx.getOrCreateContext().runOnContext(v -> client
      .sendAll(CountingSource.of(Long.MAX_VALUE, JournaledBulkSendTest::mail),
        new BulkOptions().setJournal(journal).setConcurrency(32))
      .handler(outcome -> { }));
    Thread.currentThread().join();
  }

  static SmtpClientOptions options(int port) {
    return new SmtpClientOptions().setHost("127.0.0.1").setPort(port).setTlsMode(TlsMode.NONE)
      .setEhloName("client.example").setRetryPolicy(RetryPolicy.none());
  }
}
