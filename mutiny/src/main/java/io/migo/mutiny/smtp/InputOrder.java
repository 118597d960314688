package io.migo.mutiny.smtp;

import io.migo.smtp.Mail;
import io.migo.smtp.SendOutcome;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Ordered bulk sending with concurrency: Mutiny has no ordered merge, and {@code concatenate()} would send one mail
 * at a time. Each mail's send starts at once, as in an unordered merge, but its outcome is held back until the
 * previous mail's outcome has been emitted. A held-back outcome keeps its merge slot, so at most {@code concurrency}
 * mails are sending or waiting their turn: the reorder buffer is bounded, and a slow mail slows the intake instead
 * of letting outcomes pile up behind it.
 */
final class InputOrder {

  private InputOrder() {
  }

  static Multi<SendOutcome> sendAll(Multi<Mail> mails, Function<Mail, Uni<SendOutcome>> send, int concurrency) {
    // Deferred: the chain of turns belongs to one subscription.
    return Multi.createFrom().deferred(() -> {
      Chain chain = new Chain();
      return mails.onItem().transformToUni(mail -> chain.inTurn(send.apply(mail)))
        .merge(concurrency)
        .map(Turn::emit);
    });
  }

  /**
   * Links each mail to the one before it. {@code inTurn} is called in input order, one call at a time (the merge
   * maps upstream items serially), so the plain field needs no lock.
   */
  private static final class Chain {
    private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);

    Uni<Turn> inTurn(Uni<SendOutcome> outcome) {
      CompletableFuture<Void> previous = last;
      CompletableFuture<Void> emitted = new CompletableFuture<>();
      last = emitted;
      return outcome
        .call(o -> Uni.createFrom().completionStage(previous))
        .map(o -> new Turn(o, emitted));
    }
  }

  /** An outcome whose turn has come; emitting it lets the next one through. */
  private record Turn(SendOutcome outcome, CompletableFuture<Void> emitted) {
    SendOutcome emit() {
      // Completed while the merge is emitting this item: the next outcome, if it completes synchronously here, is
      // queued by the merge behind this one, so the order holds.
      emitted.complete(null);
      return outcome;
    }
  }
}
