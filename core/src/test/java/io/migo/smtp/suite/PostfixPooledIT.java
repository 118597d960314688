package io.migo.smtp.suite;

import io.vertx.core.Vertx;

/** The shared suite against the real Postfix, through a pool of several sessions. */
class PostfixPooledIT extends SmtpServerSuite {

  PostfixPooledIT() {
    super(ClientConfig.POOLED);
  }

  @Override
  protected ServerUnderTest start(Vertx vertx) {
    return new PostfixRelay();
  }
}
