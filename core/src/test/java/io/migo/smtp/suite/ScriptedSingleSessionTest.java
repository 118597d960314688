package io.migo.smtp.suite;

import io.vertx.core.Vertx;

/** The shared suite against the scripted relay, through one session. */
class ScriptedSingleSessionTest extends SmtpServerSuite {

  ScriptedSingleSessionTest() {
    super(ClientConfig.SINGLE_SESSION);
  }

  @Override
  protected ServerUnderTest start(Vertx vertx) {
    return new ScriptedRelay(vertx);
  }
}
