package io.migo.smtp.impl.auth;

import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.impl.protocol.Commands;
import io.migo.smtp.impl.protocol.Reply;
import io.migo.smtp.impl.protocol.SmtpCommand;
import io.vertx.core.Future;

import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * Drives one SASL exchange (RFC 4954): {@code AUTH <mechanism> [initial-response]}, then one base64 line per 334
 * challenge, until 235 or a refusal. Mechanisms only see bytes; base64 and reply codes live here. The lines that
 * carry credentials are marked sensitive, so the wire log shows {@code ***}. When the exchange fails half-way the
 * handshake fails and the connection is closed, which also ends the server's side of the exchange.
 */
public final class Authenticator {

  /**
   * The mechanisms refuse challenges beyond their own steps; this bound stops a server that keeps answering an empty
   * response with another challenge.
   */
  private static final int MAX_CHALLENGES = 4;

  private final Function<SmtpCommand, Future<Reply>> channel;
  private final Function<Callable<byte[]>, Future<byte[]>> offload;

  /** @param channel writes a command and returns its reply (on the session's context) */
  public Authenticator(Function<SmtpCommand, Future<Reply>> channel) {
    this(channel, Authenticator::inline);
  }

  /**
   * @param offload runs a costly mechanism step ({@link SaslMechanism#costly()}: SCRAM's PBKDF2) off the event loop
   *     and completes on the session's context, e.g. {@code vertx.executeBlocking(work, false)}
   */
  public Authenticator(Function<SmtpCommand, Future<Reply>> channel, Function<Callable<byte[]>, Future<byte[]>> offload) {
    this.channel = channel;
    this.offload = offload;
  }

  public Future<Void> authenticate(SaslMechanism mechanism) {
    byte[] initial = mechanism.initialResponse();
    String initialBase64 = initial == null ? null : Base64Sasl.encodeInitialResponse(initial);
    return channel.apply(Commands.auth(mechanism.mechanism().saslName(), initialBase64))
      .compose(reply -> onReply(mechanism, reply, 0));
  }

  private Future<Void> onReply(SaslMechanism mechanism, Reply reply, int challenges) {
    if (reply.code() == 235) {
      return confirmed(mechanism);
    }
    if (reply.code() == 334) {
      return answer(mechanism, reply, challenges + 1);
    }
    return Future.failedFuture(refusal(mechanism, reply));
  }

  /** A 235 is not enough for a mechanism that must also see the server's proof (SCRAM). */
  private static Future<Void> confirmed(SaslMechanism mechanism) {
    try {
      mechanism.succeeded();
      return Future.succeededFuture();
    } catch (SmtpException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Void> answer(SaslMechanism mechanism, Reply challenge, int challenges) {
    if (challenges > MAX_CHALLENGES) {
      return Future.failedFuture(new SmtpException(SmtpPhase.AUTH, Reason.PROTOCOL,
        "the server sent more than " + MAX_CHALLENGES + " " + mechanism.mechanism().saslName() + " challenges"));
    }
    byte[] decoded;
    try {
      decoded = Base64Sasl.decodeChallenge(firstLine(challenge));
    } catch (SmtpException e) {
      return Future.failedFuture(e);
    }
    return respond(mechanism, decoded)
      .compose(response -> channel.apply(Commands.authContinuation(Base64Sasl.encode(response))))
      .compose(reply -> onReply(mechanism, reply, challenges));
  }

  /** Cheap steps inline; a costly one (thousands of HMACs) on a worker, so that other sessions' I/O goes on. */
  private Future<byte[]> respond(SaslMechanism mechanism, byte[] challenge) {
    return mechanism.costly() ? offload.apply(() -> mechanism.respond(challenge))
      : inline(() -> mechanism.respond(challenge));
  }

  private static Future<byte[]> inline(Callable<byte[]> work) {
    try {
      return Future.succeededFuture(work.call());
    } catch (SmtpException e) {
      return Future.failedFuture(e);
    } catch (Exception e) {
      // respond() declares no checked exception; anything else is a bug, and fails this exchange rather than the loop.
      return Future.failedFuture(e);
    }
  }

  private static SmtpException refusal(SaslMechanism mechanism, Reply reply) {
    String name = mechanism.mechanism().saslName();
    String serverError = mechanism.serverError() == null ? "" : " (server said: " + mechanism.serverError() + ")";
    return switch (reply.code()) {
      case 535 -> reply.toException(SmtpPhase.AUTH, Reason.AUTHENTICATION_FAILED,
        "the server refused the credentials with " + name + serverError);
      case 534 -> reply.toException(SmtpPhase.AUTH, Reason.SECURITY,
        "the server requires a stronger mechanism than " + name);
      case 538 -> reply.toException(SmtpPhase.AUTH, Reason.SECURITY,
        "the server requires encryption for " + name);
      default -> reply.toException(SmtpPhase.AUTH, Reason.REPLY, name + " authentication failed" + serverError);
    };
  }

  private static String firstLine(Reply challenge) {
    return challenge.lines().isEmpty() ? "" : challenge.lines().get(0).trim();
  }
}
