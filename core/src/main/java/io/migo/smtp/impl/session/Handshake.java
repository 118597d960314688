package io.migo.smtp.impl.session;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;
import io.migo.smtp.RelayAddress;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.TlsMode;
import io.migo.smtp.impl.auth.Authenticator;
import io.migo.smtp.impl.auth.MechanismSelector;
import io.migo.smtp.impl.auth.SaslMechanism;
import io.migo.smtp.impl.auth.SaslMechanisms;
import io.migo.smtp.impl.protocol.Capabilities;
import io.migo.smtp.impl.protocol.Commands;
import io.migo.smtp.impl.protocol.EhloNames;
import io.migo.smtp.impl.protocol.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Brings a connected session to {@link SessionState#READY}: greeting → EHLO (HELO fallback) → STARTTLS → EHLO
 * again → AUTH. Each step is a method; the chain reads top to bottom in {@link #run()}.
 */
final class Handshake {

  private static final System.Logger LOG = System.getLogger(Handshake.class.getName());

  private final Vertx vertx;
  private final SmtpConnection connection;
  private final SessionSettings settings;
  private final RelayAddress relay;
  private final String ehloName;

  Handshake(Vertx vertx, SmtpConnection connection, SessionSettings settings, RelayAddress relay) {
    this.vertx = vertx;
    this.connection = connection;
    this.settings = settings;
    this.relay = relay;
    this.ehloName = chooseEhloName(connection, settings);
  }

  /** Completes with the capabilities that hold for the rest of the session (those learned over TLS, if any). */
  Future<Capabilities> run() {
    return greeting()
      .compose(v -> ehlo())
      .compose(this::startTlsIfNeeded)
      .compose(this::authenticateIfNeeded)
      .onSuccess(caps -> connection.transition(SessionState.READY));
  }

  private Future<Void> greeting() {
    Future<Reply> greeting = connection.expectReply(SmtpPhase.GREETING, settings.greetingTimeoutMs);
    if (!connection.isEncrypted()) {
      failIfSilent(greeting);
    }
    return greeting.compose(reply -> {
      if (reply.code() == 220) {
        return Future.succeededFuture();
      }
      String certificate = connection.isEncrypted() ? Hints.clientCertificate(reply, settings.clientCertificate) : null;
      if (certificate != null) {
        return Future.failedFuture(reply.toException(SmtpPhase.GREETING, Reason.SECURITY, certificate));
      }
      String what = reply.code() == 554 ? "the server refused the session" : "unexpected greeting";
      return Future.failedFuture(reply.toException(SmtpPhase.GREETING, Reason.REPLY, what));
    });
  }

  /**
   * An SMTP server speaks first. One that sends not a single byte for {@code silentGreetingTimeoutMs} is almost
   * always an implicit-TLS port (465) waiting for our TLS hello, which would otherwise cost the whole greeting
   * timeout (5 minutes) and end in a misleading "connection closed". A server that has begun its greeting, however
   * slowly, gets the normal greeting timeout.
   */
  private void failIfSilent(Future<Reply> greeting) {
    long silentMs = settings.silentGreetingTimeoutMs;
    if (silentMs >= settings.greetingTimeoutMs) {
      return;
    }
    long timer = vertx.setTimer(silentMs, id -> {
      if (!greeting.isComplete() && !connection.hasReceivedData()) {
        connection.fail(new SmtpException(SmtpPhase.GREETING, Reason.TIMEOUT, "the server sent nothing within "
          + duration(silentMs) + " of connecting; port " + relay.port() + " may expect implicit TLS (TLS from the "
          + "first byte, as on port 465): use TlsMode.IMPLICIT (CLI: --tls implicit)"));
      }
    });
    greeting.onComplete(ar -> vertx.cancelTimer(timer));
  }

  private static String duration(long ms) {
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  private Future<Capabilities> ehlo() {
    connection.transition(SessionState.EHLO);
    return connection.send(Commands.ehlo(ehloName), settings.commandTimeoutMs).compose(reply -> {
      if (reply.code() == 250) {
        return Future.succeededFuture(Capabilities.parse(reply));
      }
      if (reply.code() == 500 || reply.code() == 502) {
        return helo();
      }
      return Future.failedFuture(reply.toException(SmtpPhase.EHLO, Reason.REPLY, "EHLO refused"));
    });
  }

  /** RFC 5321 §3.2: a server that does not know EHLO answers 500 or 502; HELO gives a session without extensions. */
  private Future<Capabilities> helo() {
    connection.transition(SessionState.HELO);
    return connection.send(Commands.helo(ehloName), settings.commandTimeoutMs).compose(reply -> reply.code() == 250
      ? Future.succeededFuture(Capabilities.none())
      : Future.failedFuture(reply.toException(SmtpPhase.HELO, Reason.REPLY, "HELO refused")));
  }

  private Future<Capabilities> startTlsIfNeeded(Capabilities caps) {
    TlsMode mode = settings.tlsMode;
    if (mode == TlsMode.NONE || mode == TlsMode.IMPLICIT) {
      return Future.succeededFuture(caps);
    }
    if (!caps.startTls()) {
      if (mode == TlsMode.STARTTLS_REQUIRED) {
        return Future.failedFuture(new SmtpException(SmtpPhase.STARTTLS, Reason.SECURITY,
          "the server does not offer STARTTLS, and TLS is required"));
      }
      return Future.succeededFuture(caps);
    }
    connection.transition(SessionState.STARTTLS);
    return connection.send(Commands.startTls(), settings.commandTimeoutMs)
      .compose(reply -> onStartTlsReply(reply, caps));
  }

  private Future<Capabilities> onStartTlsReply(Reply reply, Capabilities plainCaps) {
    if (reply.code() == 220) {
      return upgradeAndGreetAgain();
    }
    if (settings.tlsMode == TlsMode.STARTTLS_REQUIRED) {
      return Future.failedFuture(reply.toException(SmtpPhase.STARTTLS, Reason.SECURITY,
        "the server refused STARTTLS, and TLS is required"));
    }
    // STARTTLS_OPTIONAL: RFC 3207 lets the client go on in clear. Say so loudly; credentials stay protected by
    // the cleartext AUTH policy.
    LOG.log(System.Logger.Level.WARNING, "STARTTLS refused by " + relay + " (" + reply
      + "); continuing without TLS as STARTTLS_OPTIONAL allows");
    return Future.succeededFuture(plainCaps);
  }

  /** RFC 3207 §4.2: after the handshake the client must forget everything the server said before it. */
  private Future<Capabilities> upgradeAndGreetAgain() {
    connection.transition(SessionState.TLS_HANDSHAKE);
    return connection.upgradeToTls(settings.sslOptions, SessionSettings.serverName(relay)).compose(v -> {
      connection.transition(SessionState.EHLO_SECURE);
      return connection.send(Commands.ehlo(ehloName), settings.commandTimeoutMs);
    }).compose(this::onSecureEhloReply);
  }

  /** A relay that wanted a client certificate says so here, right after the handshake (Postfix: 421 4.7.1). */
  private Future<Capabilities> onSecureEhloReply(Reply reply) {
    if (reply.code() == 250) {
      return Future.succeededFuture(Capabilities.parse(reply));
    }
    String certificate = Hints.clientCertificate(reply, settings.clientCertificate);
    return Future.failedFuture(certificate != null
      ? reply.toException(SmtpPhase.EHLO, Reason.SECURITY, certificate)
      : reply.toException(SmtpPhase.EHLO, Reason.REPLY, "EHLO after STARTTLS refused"));
  }

  private Future<Capabilities> authenticateIfNeeded(Capabilities caps) {
    if (settings.credentials == null) {
      return Future.succeededFuture(caps);
    }
    SmtpException hidden = authHiddenUntilTls(caps);
    if (hidden != null) {
      return Future.failedFuture(hidden);
    }
    AuthMechanism mechanism;
    try {
      mechanism = MechanismSelector.select(caps.authMechanisms(), settings.authMechanisms,
        connection.isEncrypted(), settings.allowPlaintextAuth);
    } catch (SmtpException e) {
      return Future.failedFuture(e);
    }
    connection.transition(SessionState.AUTH);
    return fetchCredentials()
      .compose(credentials -> authenticate(mechanism, credentials))
      .map(caps);
  }

  private Future<Void> authenticate(AuthMechanism mechanism, Credentials credentials) {
    SaslMechanism sasl;
    try {
      sasl = SaslMechanisms.create(mechanism, credentials, relay);
    } catch (SmtpException e) {
      return Future.failedFuture(e);
    }
    // SCRAM's PBKDF2 goes to a worker (unordered: sessions do not wait for each other); its result comes back on
    // this session's context, as executeBlocking completes on the caller's context.
    return new Authenticator(command -> connection.send(command, settings.commandTimeoutMs),
      work -> vertx.executeBlocking(work, false)).authenticate(sasl);
  }

  /**
   * Without TLS, a server that offers STARTTLS and no usable AUTH is nearly always a submission server that offers
   * AUTH only after STARTTLS (RFC 3207 §4, Postfix {@code smtpd_tls_auth_only}): say that, rather than "the server
   * does not offer AUTH". Null when the selector's own messages fit.
   */
  private SmtpException authHiddenUntilTls(Capabilities caps) {
    if (connection.isEncrypted() || !caps.startTls()) {
      return null;
    }
    if (caps.authMechanisms().isEmpty()) {
      return new SmtpException(SmtpPhase.AUTH, Reason.SECURITY, Hints.authOnlyOverTls(settings.tlsMode));
    }
    if (!MechanismSelector.offersAny(caps.authMechanisms(), settings.authMechanisms)) {
      return new SmtpException(SmtpPhase.AUTH, Reason.SECURITY, Hints.mechanismsOnlyOverTls(settings.tlsMode,
        MechanismSelector.describeOffered(caps.authMechanisms()),
        MechanismSelector.describeAllowed(settings.authMechanisms)));
    }
    return null;
  }

  private Future<Credentials> fetchCredentials() {
    Future<Credentials> supplied;
    try {
      supplied = settings.credentials.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(new SmtpException(SmtpPhase.AUTH, Reason.INVALID_INPUT,
        "the credentials supplier failed: " + e.getClass().getSimpleName(), e));
    }
    if (supplied == null) {
      return Future.failedFuture(new SmtpException(SmtpPhase.AUTH, Reason.INVALID_INPUT,
        "the credentials supplier returned no future"));
    }
    return supplied.recover(t -> Future.failedFuture(t instanceof SmtpException ? t
      : new SmtpException(SmtpPhase.AUTH, Reason.INVALID_INPUT,
      "the credentials supplier failed: " + t.getClass().getSimpleName(), t)));
  }

  private static String chooseEhloName(SmtpConnection connection, SessionSettings settings) {
    if (settings.ehloName != null) {
      return settings.ehloName;
    }
    if (settings.defaultEhloName != null && EhloNames.isValid(settings.defaultEhloName)) {
      return settings.defaultEhloName;
    }
    return EhloNames.addressLiteral(connection.localHostAddress());
  }
}
