package io.migo.smtp.suite;

import io.vertx.core.Vertx;

/** The shared suite against the real Postfix, through one session. */
class PostfixSingleSessionIT extends SmtpServerSuite {

  PostfixSingleSessionIT() {
    super(ClientConfig.SINGLE_SESSION);
  }

  @Override
  protected ServerUnderTest start(Vertx vertx) {
    return new PostfixRelay();
  }
}
