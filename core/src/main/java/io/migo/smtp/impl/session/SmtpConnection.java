package io.migo.smtp.impl.session;

import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.impl.ClientContext;
import io.migo.smtp.impl.protocol.Commands;
import io.migo.smtp.impl.protocol.Reply;
import io.migo.smtp.impl.protocol.ReplyDecoder;
import io.migo.smtp.impl.protocol.ReplyFormatException;
import io.migo.smtp.impl.protocol.SmtpCommand;
import io.migo.smtp.impl.protocol.WireBytes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetSocket;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import java.util.ArrayDeque;

/**
 * The one layer that knows the socket: it writes commands, decodes replies and hands each reply to the command that
 * is waiting for it, in order (a FIFO, so pipelined commands need nothing special). It does not interpret replies;
 * the handshake and the mail transaction do.
 *
 * <p>Runs on one event loop and takes no locks: every method, and every socket and timer callback, checks through
 * {@link ClientContext#check()} that it runs there, so that a call from another thread fails loudly instead of
 * racing. The one exception is {@link #closeFuture()}: a {@code Future} may be listened to from anywhere.
 *
 * <p>When the connection dies, each waiting command fails on its own, with its own phase, so that the caller can
 * tell a command that never got a reply from one that was refused.
 */
public final class SmtpConnection {

  private static final System.Logger WIRE = System.getLogger("io.migo.smtp.wire");

  /** RFC 5321 §4.5.3.1.5 allows 512 octets per reply line; some servers send more, so allow some slack. */
  private static final int MAX_REPLY_LINE = 4096;
  /** A bound on continuation lines, so that a hostile server cannot make a reply grow without end. */
  private static final int MAX_REPLY_LINES = 256;
  /** How long QUIT may take before the socket is simply closed. */
  private static final long QUIT_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final ClientContext context;
  private final NetSocket socket;
  private final ReplyDecoder decoder;
  private final ArrayDeque<Reply> received = new ArrayDeque<>();
  private final ArrayDeque<PendingReply> waiting = new ArrayDeque<>();
  private final Promise<Void> closed;
  private SessionState state = SessionState.GREETING;
  private boolean encrypted;
  /**
   * Why the connection closed: set exactly when the state becomes {@link SessionState#CLOSED} (see
   * {@link #markClosed}), so that {@link #isClosed()} is the one test and this is only the cause to report.
   */
  private SmtpException closeCause;
  private long timerId = -1;
  /** The write waiting for the socket to drain, if any; failed with the session. */
  private Promise<Void> drainWaiter;
  /**
   * Bytes written through {@link #writeAtEndOfTurn} and not yet given to the socket: every write until the end of
   * this event-loop turn joins them, so that the next message's envelope leaves in one write with the previous
   * message's final dot (RFC 2920 §3.1; one round trip per message). Null when nothing is held. Bounded: one content
   * slice and the commands of one envelope.
   */
  private WireBytes held;
  /** Whether the server has sent any byte yet: a silent server is told apart from a slow one (Handshake#greeting). */
  private boolean receivedData;

  private static final class PendingReply {
    final SmtpPhase phase;
    final long timeoutMs;
    final Promise<Reply> promise;
    long deadline;

    PendingReply(SmtpPhase phase, long timeoutMs, Promise<Reply> promise) {
      this.phase = phase;
      this.timeoutMs = timeoutMs;
      this.promise = promise;
    }
  }

  /**
   * Takes over a freshly connected socket, already in state {@link SessionState#GREETING}. The socket was
   * connected from the client's context, so its callbacks run on that context's event loop, which every call
   * must use too.
   *
   * @param encrypted whether the socket is TLS from the start (implicit TLS)
   */
  public SmtpConnection(Vertx vertx, ClientContext context, NetSocket socket, boolean encrypted) {
    this.vertx = vertx;
    this.context = context;
    context.check();
    this.socket = socket;
    this.encrypted = encrypted;
    this.closed = Promise.promise();
    this.decoder = new ReplyDecoder(MAX_REPLY_LINE, MAX_REPLY_LINES, received::add);
    socket.handler(this::onData);
    socket.exceptionHandler(this::onException);
    socket.closeHandler(v -> onClosed());
  }

  // ------------------------------------------------------------------ state

  public SessionState state() {
    context.check();
    return state;
  }

  /**
   * Moves to {@code next} if {@link SessionState} allows it; anything else is a bug in the caller. CLOSED is reached
   * only through {@link #close()} or {@link #fail}, which record why.
   */
  public void transition(SessionState next) {
    context.check();
    if (next == SessionState.CLOSED || !state.canMoveTo(next)) {
      throw new IllegalStateException("illegal SMTP session transition " + state + " -> " + next);
    }
    state = next;
  }

  public boolean isEncrypted() {
    context.check();
    return encrypted;
  }

  /** The TLS session, or null without TLS: its class tells which engine made it (tests check the engine in use). */
  SSLSession sslSession() {
    context.check();
    return encrypted ? socket.sslSession() : null;
  }

  /** Whether any byte has arrived from the server on this connection. */
  boolean hasReceivedData() {
    context.check();
    return receivedData;
  }

  public boolean isClosed() {
    context.check();
    return state == SessionState.CLOSED;
  }

  /** The local address as an EHLO address literal may need it. */
  public String localHostAddress() {
    context.check();
    return socket.localAddress().hostAddress();
  }

  /** Completes when the socket has closed, for whatever reason; callable from any thread. */
  public Future<Void> closeFuture() {
    return closed.future();
  }

  // ------------------------------------------------------------------ commands and replies

  /** Waits for a reply that no command of ours asked for yet: the greeting, or the reply to the end of the data. */
  public Future<Reply> expectReply(SmtpPhase phase, long timeoutMs) {
    context.check();
    if (isClosed()) {
      return Future.failedFuture(closeCause);
    }
    Promise<Reply> promise = Promise.promise();
    enqueue(new PendingReply(phase, timeoutMs, promise));
    return promise.future();
  }

  /** Writes one command and returns its reply. */
  public Future<Reply> send(SmtpCommand command, long timeoutMs) {
    context.check();
    if (isClosed()) {
      return Future.failedFuture(closeCause);
    }
    Future<Reply> reply = expectReply(command.phase(), timeoutMs);
    log(command);
    out(command.line());
    return reply;
  }

  /**
   * Registers the reply a command will get without writing it: the caller appends the command's bytes to a
   * {@link Batch} that goes out in one write (RFC 2920 pipelining).
   */
  Future<Reply> expect(SmtpCommand command, SmtpPhase replyPhase, long timeoutMs) {
    context.check();
    if (isClosed()) {
      return Future.failedFuture(closeCause);
    }
    log(command);
    return expectReply(replyPhase, timeoutMs);
  }

  /**
   * Writes message bytes. The returned future completes at once while the socket's write queue has room, and
   * otherwise when it has drained (or fails when it does not drain within {@code timeoutMs}): the caller writes the
   * next chunk only then, so that memory stays bounded under a slow server.
   */
  public Future<Void> write(Buffer data, long timeoutMs) {
    context.check();
    if (isClosed()) {
      return Future.failedFuture(closeCause);
    }
    if (held != null) {
      held.add(data); // leaves within this turn, with what is held; a command batch, never a large slice
      return Future.succeededFuture();
    }
    socket.write(data);
    return drained(timeoutMs);
  }

  /** As {@link #write(Buffer, long)}, for bytes gathered from several buffers: one socket write, one copy. */
  public Future<Void> write(WireBytes data, long timeoutMs) {
    context.check();
    if (isClosed()) {
      return Future.failedFuture(closeCause);
    }
    if (held != null) {
      held.add(data);
      return Future.succeededFuture();
    }
    data.writeTo(socket);
    return drained(timeoutMs);
  }

  /** Completes at once while the socket's write queue has room, else when it drains (fails after timeoutMs). */
  private Future<Void> drained(long timeoutMs) {
    if (!socket.writeQueueFull()) {
      return Future.succeededFuture();
    }
    // One waiter at a time (the writer waits for it before its next write), held in a field that a failure fails:
    // a listener on the close future per back-pressured write would pile up for the life of the session.
    Promise<Void> drained = Promise.promise();
    drainWaiter = drained;
    long timer = vertx.setTimer(timeoutMs, id -> fail(new SmtpException(SmtpPhase.MESSAGE, Reason.TIMEOUT,
      "the server did not read the message data for " + timeoutMs + " ms")));
    socket.drainHandler(v -> {
      context.check();
      socket.drainHandler(null);
      vertx.cancelTimer(timer);
      drainWaiter = null;
      drained.tryComplete();
    });
    return drained.future();
  }

  /**
   * Writes the end of a message's content, held until the end of this event-loop turn so that a next message's
   * commands written in the same turn go in the same socket write (see {@link #held}). Nothing waits for a reply
   * before the held bytes leave, so holding them costs no round trip, only one queued task.
   */
  void writeAtEndOfTurn(Buffer data) {
    context.check();
    if (isClosed()) {
      return;
    }
    if (held != null) {
      held.add(data);
      return;
    }
    held = new WireBytes(6).add(data);
    context.afterThisTurn(this::releaseHeld);
  }

  private void releaseHeld() {
    context.check();
    WireBytes out = held;
    held = null;
    if (out != null && !isClosed()) {
      out.writeTo(socket);
    }
  }

  private void out(Buffer data) {
    if (held != null) {
      held.add(data);
    } else {
      socket.write(data);
    }
  }

  /**
   * Upgrades to TLS after the server's 220 to STARTTLS. Anything the server sent after that 220 and before the
   * handshake would be a plaintext injection that a naive client would later read as if it came over TLS (the
   * "response injection" of Poddebniak et al.), so it aborts the session.
   */
  public Future<Void> upgradeToTls(ClientSSLOptions sslOptions, String serverName) {
    context.check();
    if (!received.isEmpty() || decoder.hasPartialInput()) {
      SmtpException e = new SmtpException(SmtpPhase.STARTTLS, Reason.PROTOCOL,
        "the server sent data after its STARTTLS reply and before the TLS handshake");
      fail(e);
      return Future.failedFuture(e);
    }
    if (!waiting.isEmpty()) {
      throw new IllegalStateException("STARTTLS with commands in flight");
    }
    return socket.upgradeToSsl(sslOptions, serverName)
      .recover(t -> Future.failedFuture(tlsFailure(SmtpPhase.TLS_HANDSHAKE, t)))
      .onSuccess(v -> encrypted = true)
      .onFailure(t -> fail((SmtpException) t));
  }

  // ------------------------------------------------------------------ closing

  /** Sends QUIT when the session is idle, then closes the socket whatever the reply. */
  public Future<Void> quit() {
    context.check();
    if (isClosed()) {
      return closed.future();
    }
    if (!state.isIdle() || !waiting.isEmpty()) {
      return close();
    }
    transition(SessionState.QUITTING);
    send(Commands.quit(), QUIT_TIMEOUT_MS).onComplete(ignored -> socket.close());
    return closed.future();
  }

  /** Closes the socket without QUIT; waiting commands fail with reason CLOSED. */
  public Future<Void> close() {
    context.check();
    fail(new SmtpException(phaseOfHead(SmtpPhase.QUIT), Reason.CLOSED, "the session was closed by the client"));
    return closed.future();
  }

  /** Records the first failure, fails every waiting command with it and closes the socket. */
  void fail(SmtpException cause) {
    context.check();
    // Closed first, so that whatever the failed commands' callbacks do sees a closed session.
    if (markClosed(cause)) {
      held = null;
      SocketAbort.abort(socket);
    }
    failWaiting();
  }

  /** The only place the state becomes CLOSED; the first cause is kept. Returns whether the connection was open. */
  private boolean markClosed(SmtpException cause) {
    if (state == SessionState.CLOSED) {
      return false;
    }
    state = SessionState.CLOSED;
    closeCause = cause;
    return true;
  }

  // ------------------------------------------------------------------ inbound

  private void onData(Buffer chunk) {
    context.check();
    receivedData = true;
    try {
      decoder.feed(chunk);
    } catch (ReplyFormatException e) {
      received.clear();
      fail(new SmtpException(phaseOfHead(SmtpPhase.GREETING), Reason.PROTOCOL, e.getMessage(), e));
      return;
    }
    dropAfterClosingReply();
    // Every reply in this chunk answers a command written before it arrived: more replies than that is a server
    // speaking out of turn (or an injection), and pairing them with later commands would shift every reply by one.
    if (received.size() > waiting.size()) {
      Reply extra = received.peekLast();
      received.clear();
      fail(new SmtpException(phaseOfHead(SmtpPhase.GREETING), Reason.PROTOCOL,
        "the server sent a reply no command asked for: " + extra));
      return;
    }
    // Dispatch only after the whole chunk is decoded, so that a continuation (e.g. the TLS upgrade after STARTTLS)
    // sees everything the server sent with the reply.
    Reply reply;
    while ((reply = received.poll()) != null && !isClosed()) {
      dispatch(reply);
    }
  }

  /**
   * RFC 5321 §3.8: a 421 says the server is closing the channel, so nothing it sends after that answers anything and
   * the 421 is the last reply read. Postfix requiring a client certificate over implicit TLS sends
   * {@code 421 4.7.1 ... No client certificate presented} and then its 220 greeting in the same breath; the 421 is
   * the answer to the greeting, the 220 must not be taken for a reply out of turn. Only a 421 that answers a waiting
   * command counts, so that the out-of-turn check still sees a 421 no command asked for.
   */
  private void dropAfterClosingReply() {
    int index = 0;
    for (Reply reply : received) {
      if (index >= waiting.size()) {
        return;
      }
      if (reply.code() == 421) {
        while (received.size() > index + 1) {
          received.pollLast();
        }
        return;
      }
      index++;
    }
  }

  /** Hands a reply to the oldest waiting command; {@link #onData} made sure there is one. */
  private void dispatch(Reply reply) {
    PendingReply head = waiting.remove();
    if (WIRE.isLoggable(System.Logger.Level.DEBUG)) {
      WIRE.log(System.Logger.Level.DEBUG, "S: " + reply);
    }
    PendingReply next = waiting.peek();
    if (next != null) {
      next.deadline = System.nanoTime() + next.timeoutMs * 1_000_000L;
    }
    head.promise.complete(reply);
  }

  /** Netty wraps TLS errors in a DecoderException: any SSLException in the chain makes it a TLS failure. */
  private void onException(Throwable t) {
    context.check();
    fail(TlsFailures.chain(t).stream().anyMatch(SSLException.class::isInstance)
      ? tlsFailure(failurePhase(SmtpPhase.TLS_HANDSHAKE), t)
      : new SmtpException(failurePhase(SmtpPhase.CONNECT), Reason.CONNECTION, "connection error: " + t.getMessage(), t));
  }

  private void onClosed() {
    context.check();
    if (!isClosed()) {
      markClosed(new SmtpException(failurePhase(SmtpPhase.QUIT), Reason.CONNECTION, "the server closed the connection"));
    }
    failWaiting();
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    closed.tryComplete();
  }

  private void failWaiting() {
    if (drainWaiter != null) {
      drainWaiter.tryFail(closeCause);
      drainWaiter = null;
    }
    PendingReply p;
    while ((p = waiting.poll()) != null) {
      // A failure while writing the content stays a MESSAGE failure for the reply that waited on it: the data
      // never fully left, which is what the caller needs to know (nothing was delivered).
      boolean keep = closeCause.phase() == p.phase || closeCause.phase() == SmtpPhase.MESSAGE;
      p.promise.tryFail(keep ? closeCause : rephrase(closeCause, p.phase));
    }
  }

  /** Each waiting command fails with its own phase: "the connection was lost while waiting for the RCPT reply". */
  private static SmtpException rephrase(SmtpException cause, SmtpPhase phase) {
    return new SmtpException(phase, cause.reason(), "no reply: " + cause.getMessage(), cause.replyCode(),
      cause.enhancedCode(), cause.serverLines(), cause);
  }

  // ------------------------------------------------------------------ timeouts

  /**
   * Only the oldest waiting command is timed: the others cannot be answered before it. One timer per connection,
   * re-armed lazily, so that a fast reply costs no timer creation or cancellation.
   */
  private void enqueue(PendingReply pending) {
    if (waiting.isEmpty()) {
      pending.deadline = System.nanoTime() + pending.timeoutMs * 1_000_000L;
    }
    waiting.add(pending);
    if (timerId < 0) {
      armTimer(pending.timeoutMs);
    }
  }

  private void armTimer(long delayMs) {
    timerId = vertx.setTimer(Math.max(1, delayMs), id -> onTimer());
  }

  private void onTimer() {
    context.check();
    timerId = -1;
    PendingReply head = waiting.peek();
    if (head == null || isClosed()) {
      return;
    }
    long remainingNs = head.deadline - System.nanoTime();
    if (remainingNs > 0) {
      armTimer(remainingNs / 1_000_000L + 1);
      return;
    }
    fail(new SmtpException(head.phase, Reason.TIMEOUT, "no reply within " + head.timeoutMs + " ms"));
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Where a lost connection happened: while the content was still being written it is MESSAGE (the server cannot
   * have the whole message), else the phase of the oldest command waiting for its reply.
   */
  private SmtpPhase failurePhase(SmtpPhase otherwise) {
    if (state == SessionState.SENDING_DATA || state == SessionState.SENDING_CHUNKS) {
      return SmtpPhase.MESSAGE;
    }
    return phaseOfHead(otherwise);
  }

  private SmtpPhase phaseOfHead(SmtpPhase otherwise) {
    PendingReply head = waiting.peek();
    return head != null ? head.phase : otherwise;
  }

  /** {@link TlsFailures} says what went wrong (untrusted certificate, wrong host name, no TLS) and what to do. */
  private static SmtpException tlsFailure(SmtpPhase phase, Throwable t) {
    return TlsFailures.describe(phase, t, null);
  }

  private void log(SmtpCommand command) {
    if (WIRE.isLoggable(System.Logger.Level.DEBUG)) {
      WIRE.log(System.Logger.Level.DEBUG, "C: " + command);
    }
  }
}
