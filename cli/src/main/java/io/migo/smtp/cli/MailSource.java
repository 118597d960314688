package io.migo.smtp.cli;

import io.migo.smtp.Mail;

import java.util.function.Supplier;

/**
 * The {@code --count} messages of a run as a stream that makes each one only when it is asked for: the client's
 * {@code sendAll} fetches as places in its window free up, so a run of a million messages holds no more than the
 * window in memory.
 *
 * <p>Passive: it emits only from {@link #fetch} (or {@link #resume}), on the caller's thread, which for
 * {@code sendAll} is always the client's context; nothing here is shared between threads. A fetch made while a
 * handler is running (a send that fails at once frees its place and asks again) only adds to the demand: the
 * running loop emits it, so the stack does not grow with the count.
 */
final class MailSource extends DemandStream<Mail> {

  private final Supplier<Mail> messages;
  private final int count;
  private int emitted;
  private boolean emitting;
  private boolean ended;

  /** @param messages makes one message per call; called {@code count} times at most, on the fetching thread */
  MailSource(Supplier<Mail> messages, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    this.messages = messages;
    this.count = count;
  }

  /**
   * Makes and hands over what is asked for, then ends after the count. Nothing here can fail (the exception handler
   * is never called): a message that the client cannot send is an outcome of its own, not an end.
   */
  @Override
  protected void emit() {
    if (emitting) {
      return;
    }
    emitting = true;
    try {
      while (demand > 0 && emitted < count && handler != null) {
        emitted++;
        took();
        handler.handle(messages.get());
      }
    } finally {
      emitting = false;
    }
    if (emitted == count && !ended) {
      ended = true;
      if (endHandler != null) {
        endHandler.handle(null);
      }
    }
  }
}
