package io.migo.smtp.examples;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * A stand-in for an OAuth 2.0 token endpoint, as an application would wrap it: {@link #token()} answers from a cache
 * while the current access token is fresh, and otherwise "calls the endpoint" (here: a timer of
 * {@link #ISSUE_DELAY}, then {@code mint}) for a new one. Concurrent callers during a refresh share that one
 * refresh. Tokens are short-lived in the demo so that a run of a few messages sees them rotate.
 */
public final class TokenService {

  /** How long the simulated endpoint takes to answer. */
  static final Duration ISSUE_DELAY = Duration.ofMillis(20);

  private record Token(String value, long expiresAtNanos) {
    boolean freshAt(long nanos) {
      return nanos < expiresAtNanos;
    }
  }

  private final Vertx vertx;
  private final Duration lifetime;
  private final IntFunction<String> mint;
  private final AtomicInteger issued = new AtomicInteger();
  private final AtomicReference<Token> current = new AtomicReference<>();
  private final AtomicReference<Future<Token>> refreshing = new AtomicReference<>();

  /**
   * @param lifetime how long an issued token is used
   * @param mint     the n-th token (1, 2, ...); a real service would call the identity provider here
   */
  public TokenService(Vertx vertx, Duration lifetime, IntFunction<String> mint) {
    this.vertx = vertx;
    this.lifetime = lifetime;
    this.mint = mint;
  }

  /** A service that mints {@code demo-token-1}, {@code demo-token-2}, ... */
  public static TokenService simulated(Vertx vertx, Duration lifetime) {
    return new TokenService(vertx, lifetime, n -> "demo-token-" + n);
  }

  /** A fresh access token: the cached one, or a new one after a (simulated) round trip. */
  public Future<String> token() {
    Token token = current.get();
    if (token != null && token.freshAt(System.nanoTime())) {
      return Future.succeededFuture(token.value());
    }
    return refresh().map(Token::value);
  }

  /** Tokens issued so far. */
  public int issued() {
    return issued.get();
  }

  private Future<Token> refresh() {
    Promise<Token> promise = Promise.promise();
    Future<Token> inFlight = refreshing.compareAndExchange(null, promise.future());
    if (inFlight != null) {
      return inFlight;
    }
    vertx.setTimer(ISSUE_DELAY.toMillis(), id -> {
      Token fresh = new Token(mint.apply(issued.incrementAndGet()), System.nanoTime() + lifetime.toNanos());
      current.set(fresh);
      refreshing.set(null);
      promise.complete(fresh);
    });
    return promise.future();
  }
}
