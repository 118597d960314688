package io.migo.smtp.suite;

import io.vertx.core.Vertx;

/** The shared suite against the scripted relay, through a pool of several sessions. */
class ScriptedPooledTest extends SmtpServerSuite {

  ScriptedPooledTest() {
    super(ClientConfig.POOLED);
  }

  @Override
  protected ServerUnderTest start(Vertx vertx) {
    return new ScriptedRelay(vertx);
  }
}
