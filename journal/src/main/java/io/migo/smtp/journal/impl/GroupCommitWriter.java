package io.migo.smtp.journal.impl;

import io.migo.smtp.JournalEntry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The journal's one writer: a thread of its own (never an event loop, never a Vert.x worker that other work shares)
 * that takes every record pending, writes them in one transaction, commits, and only then confirms them all. While
 * it commits, new records queue up and go together in the next transaction, so the cost of a commit is shared by as
 * many records as arrive during one: group commit. Reads (load) and the close wait their turn in the same queue, so
 * they see every record submitted before them.
 *
 * <p>A future completes on the Vert.x context its caller was on, one task per context per commit, so that no
 * caller's code runs on this thread; a caller outside Vert.x has its future completed on this thread.
 */
public final class GroupCommitWriter {

  /** What callers hand the writer. */
  private sealed interface Task permits Write, Load, Close {
  }

  private record Write(JournalRecord record, Promise<Void> promise, Context context) implements Task {
  }

  private record Load(Promise<Map<String, JournalEntry>> promise, Context context) implements Task {
  }

  private record Close(Promise<Void> promise, Context context) implements Task {
  }

  /** How the journal file is opened, on the writer thread. */
  @FunctionalInterface
  public interface Opener {
    JournalFile open() throws IOException;
  }

  private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong records = new AtomicLong();
  private final int maxBatch;
  private final String name;
  /** Set by close(): no task is taken after it. */
  private volatile boolean closing;
  /** Set by the writer once it has stopped: a task that got into the queue after that is failed by its submitter. */
  private volatile boolean terminated;
  private JournalFile file;

  private GroupCommitWriter(int maxBatch, String name) {
    this.maxBatch = maxBatch;
    this.name = name;
  }

  /** Starts the writer thread, which opens the file first; the future completes on {@code context}. */
  public static Future<GroupCommitWriter> start(Opener opener, int maxBatch, String name, Context context) {
    GroupCommitWriter writer = new GroupCommitWriter(maxBatch, name);
    Promise<GroupCommitWriter> opened = Promise.promise();
    Thread thread = new Thread(() -> writer.run(opener, opened, context), "migo-journal-writer " + name);
    // Daemon: a program that forgets to close its journal still exits; what was not confirmed was never promised.
    thread.setDaemon(true);
    thread.start();
    return opened.future();
  }

  public Future<Void> write(JournalRecord record) {
    Promise<Void> promise = Promise.promise();
    submit(new Write(record, promise, Vertx.currentContext()), promise);
    return promise.future();
  }

  public Future<Map<String, JournalEntry>> load() {
    Promise<Map<String, JournalEntry>> promise = Promise.promise();
    submit(new Load(promise, Vertx.currentContext()), promise);
    return promise.future();
  }

  /** Writes what is pending, closes the file, stops the thread; later calls fail. Idempotent. */
  public Future<Void> close() {
    Promise<Void> promise = Promise.promise();
    if (closing) {
      // The first close's task is (or was) in the queue; this one completes after it, or at once if it is done.
      submit(new Close(promise, Vertx.currentContext()), promise);
      return promise.future();
    }
    closing = true;
    queue.add(new Close(promise, Vertx.currentContext()));
    refuseLeftoversIfTerminated();
    return promise.future();
  }

  /** Transactions committed so far: with many records pending at once, far fewer than records. */
  public long commits() {
    return commits.get();
  }

  /** Records written so far. */
  public long records() {
    return records.get();
  }

  private void submit(Task task, Promise<?> promise) {
    if (closing && !(task instanceof Close)) {
      promise.fail(closedError());
      return;
    }
    queue.add(task);
    refuseLeftoversIfTerminated();
  }

  private void refuseLeftoversIfTerminated() {
    if (terminated) {
      Task task;
      while ((task = queue.poll()) != null) {
        refuse(task);
      }
    }
  }

  private void run(Opener opener, Promise<GroupCommitWriter> opened, Context openerContext) {
    try {
      file = opener.open();
    } catch (Throwable e) {
      // An Error too (SQLite's native library that does not load): the caller must hear of it, not wait forever.
      terminated = true;
      on(openerContext, () -> opened.fail(e));
      return;
    }
    on(openerContext, () -> opened.complete(this));
    List<Task> batch = new ArrayList<>(maxBatch);
    List<Write> writes = new ArrayList<>(maxBatch);
    try {
      boolean running = true;
      while (running) {
        batch.add(queue.take());
        queue.drainTo(batch, maxBatch - 1);
        running = process(batch, writes);
        batch.clear();
      }
    } catch (InterruptedException e) {
      // Nobody interrupts this thread but a JVM going down: stop, as a close would.
      Thread.currentThread().interrupt();
      closeFile(null);
    } finally {
      // After a close, or an Error that ended the loop mid-batch: nothing submitted is left without an answer.
      terminated = true;
      batch.forEach(this::refuse);
      refuseLeftoversIfTerminated();
    }
  }

  /** One batch in queue order: the writes up to a load or a close are committed before it. False after a close. */
  private boolean process(List<Task> batch, List<Write> writes) {
    boolean running = true;
    for (Task task : batch) {
      if (!running) {
        refuse(task);
      } else if (task instanceof Write w) {
        writes.add(w);
      } else {
        commit(writes);
        if (task instanceof Load l) {
          load(l);
        } else if (task instanceof Close c) {
          closeFile(c);
          running = false;
        }
      }
    }
    commit(writes);
    return running;
  }

  private void commit(List<Write> writes) {
    if (writes.isEmpty()) {
      return;
    }
    List<JournalRecord> rows = new ArrayList<>(writes.size());
    for (Write w : writes) {
      rows.add(w.record());
    }
    Throwable failure = null;
    try {
      file.write(rows, System.currentTimeMillis());
      commits.incrementAndGet();
      records.addAndGet(rows.size());
    } catch (SQLException | RuntimeException e) {
      failure = new IOException("the journal " + name + " could not write " + rows.size() + " record(s): "
        + e.getMessage(), e);
    }
    confirm(writes, failure);
    writes.clear();
  }

  /** Completes every write of a commit, grouped by the context its caller was on: one task per context. */
  private static void confirm(List<Write> writes, Throwable failure) {
    Map<Context, List<Promise<Void>>> byContext = new IdentityHashMap<>();
    for (Write w : writes) {
      byContext.computeIfAbsent(w.context(), c -> new ArrayList<>()).add(w.promise());
    }
    byContext.forEach((context, promises) -> on(context, () -> {
      for (Promise<Void> p : promises) {
        if (failure == null) {
          p.tryComplete();
        } else {
          p.tryFail(failure);
        }
      }
    }));
  }

  private void load(Load task) {
    try {
      Map<String, JournalEntry> entries = file.load();
      on(task.context(), () -> task.promise().complete(entries));
    } catch (SQLException | RuntimeException e) {
      IOException failure = new IOException("the journal " + name + " could not be read: " + e.getMessage(), e);
      on(task.context(), () -> task.promise().fail(failure));
    }
  }

  private void closeFile(Close task) {
    Throwable failure = null;
    try {
      file.close();
    } catch (SQLException e) {
      failure = new IOException("the journal " + name + " did not close cleanly: " + e.getMessage(), e);
    }
    if (task != null) {
      Throwable f = failure;
      on(task.context(), () -> {
        if (f == null) {
          task.promise().complete();
        } else {
          task.promise().fail(f);
        }
      });
    }
  }

  /** A task that came too late: a close completes (the journal is closed), anything else fails. */
  private void refuse(Task task) {
    if (task instanceof Close c) {
      on(c.context(), () -> c.promise().tryComplete());
    } else if (task instanceof Write w) {
      on(w.context(), () -> w.promise().tryFail(closedError()));
    } else if (task instanceof Load l) {
      on(l.context(), () -> l.promise().tryFail(closedError()));
    }
  }

  private IllegalStateException closedError() {
    return new IllegalStateException("the journal " + name + " is closed");
  }

  /** Runs on {@code context} when there is one (here, if it no longer takes tasks), else here. */
  private static void on(Context context, Runnable action) {
    if (context == null) {
      action.run();
      return;
    }
    try {
      context.runOnContext(v -> action.run());
    } catch (RuntimeException e) {
      action.run();
    }
  }
}
