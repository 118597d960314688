package io.migo.smtp.impl.bulk;

import io.migo.smtp.BulkJournal;
import io.migo.smtp.JournalEntry;
import io.migo.smtp.SendOutcome;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A journal in memory that records every call ("started 3", "finished 3 DELIVERED") and whose answers a test can
 * hold open or fail: what an earlier run left is put in {@link #entries} before the send. Thread-safe, since the
 * journal's futures may complete anywhere.
 */
final class InMemoryJournal implements BulkJournal {

  /** What earlier runs recorded, and what this run records. */
  final Map<String, JournalEntry> entries = new ConcurrentHashMap<>();
  final List<String> events = new CopyOnWriteArrayList<>();
  final AtomicInteger loads = new AtomicInteger();
  /** Completes when load() is first called, with the context it was called on (the client's). */
  final Promise<Context> loadCalled = Promise.promise();
  Supplier<Future<Map<String, JournalEntry>>> onLoad = () -> Future.succeededFuture(Map.copyOf(entries));
  Function<String, Future<Void>> onStarted = id -> Future.succeededFuture();
  Function<String, Future<Void>> onFinished = id -> Future.succeededFuture();

  /** An earlier run's record: {@code status} null for one left in flight. */
  InMemoryJournal earlier(String id, SendOutcome.Status status) {
    entries.put(id, new JournalEntry(id, status, status == null ? 0 : 250, null, null));
    return this;
  }

  @Override
  public Future<Map<String, JournalEntry>> load() {
    loads.incrementAndGet();
    loadCalled.tryComplete(Vertx.currentContext());
    return onLoad.get();
  }

  @Override
  public Future<Void> started(String id) {
    events.add("started " + id);
    entries.put(id, new JournalEntry(id, null, 0, null, null));
    return onStarted.apply(id);
  }

  @Override
  public Future<Void> finished(String id, SendOutcome outcome) {
    events.add("finished " + id + " " + outcome.status());
    entries.put(id, new JournalEntry(id, outcome.status(), 0, null, null));
    return onFinished.apply(id);
  }

  @Override
  public Future<Void> close() {
    events.add("close");
    return Future.succeededFuture();
  }
}
