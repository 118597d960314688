package io.migo.smtp.examples;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class TokenServiceTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void cachesWhileFreshAndRotatesAfterExpiry() throws Exception {
    // The second call must come within the lifetime, so the lifetime is long for a busy machine; the sleep only
    // has to outlast it (a sleep never ends early), so it is safe however slow the machine.
    TokenService tokens = TokenService.simulated(vertx, Duration.ofSeconds(2));

    assertThat(Await.result(tokens.token())).isEqualTo("demo-token-1");
    assertThat(Await.result(tokens.token())).isEqualTo("demo-token-1");
    Thread.sleep(2_100);
    assertThat(Await.result(tokens.token())).isEqualTo("demo-token-2");
    assertThat(tokens.issued()).isEqualTo(2);
  }

  @Test
  void concurrentCallersShareOneRefresh() throws Exception {
    TokenService tokens = TokenService.simulated(vertx, Duration.ofMinutes(1));

    Future<String> a = tokens.token();
    Future<String> b = tokens.token();

    assertThat(Await.result(a)).isEqualTo("demo-token-1");
    assertThat(Await.result(b)).isEqualTo("demo-token-1");
    assertThat(tokens.issued()).isEqualTo(1);
  }
}
