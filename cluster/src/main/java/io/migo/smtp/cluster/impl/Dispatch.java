package io.migo.smtp.cluster.impl;

import io.migo.smtp.Mail;
import io.migo.smtp.SendOutcome;
import io.vertx.core.Promise;

/** One message of a producer, from its submission to its outcome, on whichever worker it is. */
final class Dispatch {

  final long id;
  final Mail mail;
  final SendRequest request;
  final Promise<SendOutcome> outcome = Promise.promise();
  /** The worker holding it; {@code null} while it waits for one. */
  WorkerSlot worker;
  /** Whether that worker said it is starting: from then on the relay may hold it, and it is never sent again. */
  boolean started;
  /** How often a worker left the cluster holding it unstarted. */
  int reassigned;

  Dispatch(long id, Mail mail, SendRequest request) {
    this.id = id;
    this.mail = mail;
    this.request = request;
  }
}
