package io.migo.smtp;

import io.migo.smtp.PoolStats.CloseReason;
import io.migo.smtp.SendOutcome.Status;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.ThrottlingRules.Kind;

/**
 * What a client tells a metrics system, one call per event; set with {@link SmtpClientOptions#setMetrics}. Every
 * method does nothing by default, so an implementation overrides only the events it records. The
 * {@code migo-smtp-micrometer} module implements it with Micrometer meters; core depends on no metrics library.
 *
 * <p>Levels need no events: {@link SmtpClient#poolStats()} (active, idle, waiting sessions) and
 * {@link SmtpClient#progress()} (rate limit, session limit, deferred messages) can be read from any thread, e.g. by a
 * gauge.
 *
 * <p>The calls come on the client's event loop, but for a send that fails before it starts (invalid input), whose
 * {@link #messageCompleted} comes on the thread that called {@code send}; an implementation must therefore be safe
 * to call from any thread. They are made on the client's hot path: they must be quick and must not block. An
 * exception thrown by one would disturb the client: do not throw.
 */
public interface SmtpMetrics {

  /** Records nothing; the default. A client given it makes no call and reads no clock for metrics. */
  SmtpMetrics NONE = new SmtpMetrics() {
  };

  /**
   * A send completed. Counted exactly where {@link SmtpClient#progress()} counts it, so the two always agree.
   *
   * @param status       how it ended; never {@link Status#SKIPPED} (a skipped message is not sent)
   * @param latencyNanos from the send's acceptance by the client to its outcome: encoding, waiting for a session,
   *                     pacing, deferrals and retries included
   */
  default void messageCompleted(Status status, long latencyNanos) {
  }

  /**
   * The relay refused a message for throttling, and the client will try it again later; once per deferral, so a
   * message deferred three times counts three (as {@link SendOutcome#deferrals()} does).
   */
  default void deferred(Kind kind) {
  }

  /**
   * The relay asked the client to slow down: once per throttling reply, however many messages it affected, so the
   * total is {@link SendProgress#throttleEvents()}.
   */
  default void throttled(Kind kind) {
  }

  /** A session was opened: connected, greeted and, if configured, secured and authenticated. */
  default void sessionOpened() {
  }

  /**
   * An opened session has closed, for {@code reason}; the same counts as {@link PoolStats#closed()}.
   */
  default void sessionClosed(CloseReason reason) {
  }

  /**
   * A session could not be opened (after every failover relay was tried): where it failed ({@link SmtpPhase#CONNECT},
   * {@link SmtpPhase#GREETING}, {@link SmtpPhase#AUTH}, ...) and why ({@link Reason#AUTHENTICATION_FAILED},
   * {@link Reason#CONNECTION}, {@link Reason#TLS}, ...).
   */
  default void sessionFailed(SmtpPhase phase, Reason reason) {
  }
}
