package io.migo.smtp.cluster.impl;

import io.migo.smtp.Mail;
import io.migo.smtp.SendOutcome;
import io.migo.smtp.SendProgress;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpPhase;
import io.migo.smtp.cluster.ClusterClientOptions;
import io.migo.smtp.impl.ClientContext;
import io.migo.smtp.impl.bulk.ProgressCounter;
import io.migo.smtp.impl.pacing.RateLimiter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.shareddata.AsyncMap;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The producer's dispatch: a queue of messages waiting for a worker, one window per live worker (its share of the
 * sessions), one cluster-wide token bucket for the rate, and the messages each worker holds. A message goes to the
 * worker with the most room in its window, in its turn of the bucket; a slow worker's window stays full, so it gets
 * less. When a worker leaves the cluster, what it held and had not started goes back to the head of the queue; what
 * it had started ends UNKNOWN. Confined to the client's context; {@link #submit} and the counts are safe from any
 * thread.
 */
public final class Producer {

  /** A pacing wait shorter than this goes at once, as in core: a timer cannot wait less than a millisecond. */
  private static final long PACING_SLACK_NANOS = 500_000;
  private static final long RECOVERY_PERIOD_MS = 1_000;
  /**
   * How long a departure is held back before what the worker held is judged: a "starting" report it sent just before
   * it died may still be on its way (read from the socket, not yet handled), and judging first would resend a
   * message the relay may have. Hazelcast's own detection takes far longer than this, so nothing is slowed that
   * was not already waiting.
   */
  private static final long DEPARTURE_GRACE_MS = 500;

  private final Vertx vertx;
  private final ClientContext context;
  private final Membership membership;
  private final ClusterClientOptions options;
  private final ClusterBudget budget;
  private final RateLimiter limiter;
  private final String address;
  private final ProgressCounter progress = new ProgressCounter();
  private final Map<String, WorkerSlot> workers = new LinkedHashMap<>();
  private final ArrayDeque<Dispatch> waiting = new ArrayDeque<>();
  private final Map<Long, Dispatch> held = new HashMap<>();
  private final Map<String, AtomicLong> settledByWorker = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong();
  private final AtomicLong throttleEvents = new AtomicLong();
  private volatile int waitingCount;
  private volatile int heldCount;
  private volatile double rateNow;
  private boolean pacing;
  /** Dispatches so far: the order in which workers were last given work. */
  private long dispatches;
  private long recoveryTimer = -1;
  private MessageConsumer<WorkerReport> reports;
  private MessageConsumer<String> joins;
  private AsyncMap<String, String> workerMap;
  private Promise<Void> drained;
  private volatile boolean closing;

  public Producer(Vertx vertx, ClusterClientOptions options) {
    this.vertx = vertx;
    this.context = ClientContext.of(vertx);
    this.membership = Membership.of(vertx);
    this.options = new ClusterClientOptions(options);
    this.budget = new ClusterBudget(options.getMaxRate(), options.getMaxSessions());
    this.limiter = new RateLimiter(options.getMaxRate(), System::nanoTime);
    this.rateNow = options.getMaxRate();
    this.address = Addresses.producer(membership.localNodeId(), UUID.randomUUID().toString());
    Codecs.register(vertx);
    context.execute(this::start);
  }

  private void start() {
    reports = vertx.eventBus().consumer(address, this::onReport);
    joins = vertx.eventBus().consumer(Addresses.WORKER_JOINED, this::onJoined);
    membership.onLeft(nodeId -> context.execute(() -> departed(nodeId)));
    vertx.sharedData().<String, String>getAsyncMap(Addresses.WORKERS_MAP)
      .compose(map -> {
        workerMap = map;
        return map.entries();
      })
      .onSuccess(this::knownWorkers);
  }

  /** Workers that announced themselves before this producer started; entries of members gone since are stale. */
  private void knownWorkers(Map<String, String> entries) {
    List<String> alive = membership.nodes();
    entries.forEach((nodeId, workerAddress) -> {
      if (alive.contains(nodeId)) {
        addWorker(nodeId, workerAddress);
      } else {
        workerMap.remove(nodeId);
      }
    });
    pump();
  }

  private void onJoined(Message<String> message) {
    String nodeId = message.body();
    if (membership.nodes().contains(nodeId)) {
      addWorker(nodeId, Addresses.worker(nodeId));
      pump();
    }
  }

  private void addWorker(String nodeId, String workerAddress) {
    if (!workers.containsKey(nodeId)) {
      workers.put(nodeId, new WorkerSlot(nodeId, workerAddress));
      settledByWorker.computeIfAbsent(nodeId, id -> new AtomicLong());
      budget.split(workers.values());
    }
  }

  /** A member left: it takes no more work now; what it held is judged after the grace. */
  private void departed(String nodeId) {
    WorkerSlot gone = workers.get(nodeId);
    if (gone != null && !gone.leaving) {
      gone.leaving = true;
      budget.split(workers.values());
      vertx.setTimer(DEPARTURE_GRACE_MS, id -> onLeft(nodeId));
    }
  }

  /**
   * A member left or was declared dead. What its worker held and had not started goes first in the queue (no byte
   * of it reached the relay); what it had started may be delivered: UNKNOWN, never sent again.
   */
  private void onLeft(String nodeId) {
    WorkerSlot gone = workers.remove(nodeId);
    if (gone == null) {
      return;
    }
    if (workerMap != null) {
      workerMap.remove(nodeId);
    }
    List<Dispatch> orphans = held.values().stream().filter(d -> d.worker == gone)
      .sorted((a, b) -> Long.compare(b.id, a.id)).toList();
    for (Dispatch d : orphans) {
      held.remove(d.id);
      if (d.started) {
        settle(d, lost(d, gone));
      } else {
        d.worker = null;
        d.reassigned++;
        waiting.addFirst(d);
      }
    }
    heldCount = held.size();
    waitingCount = waiting.size();
    if (!workers.isEmpty()) {
      budget.split(workers.values());
    }
    pump();
  }

  private static SendOutcome lost(Dispatch d, WorkerSlot gone) {
    SmtpException error = new SmtpException(SmtpPhase.MESSAGE, SmtpException.Reason.CONNECTION,
      SmtpException.Delivery.MAYBE_DELIVERED, "worker " + gone.nodeId + " left the cluster after it had started "
      + "this message: the relay may have it, so it is not sent again", -1, null, List.of(), null);
    return new SendOutcome(d.mail, SendOutcome.Status.UNKNOWN, null, error, 1, 0, null);
  }

  /** From any thread: the message waits for a worker and its turn, then goes; its outcome completes the future. */
  public Future<SendOutcome> submit(Mail mail) {
    if (closing) {
      return Future.succeededFuture(SendOutcome.failed(mail,
        new SmtpException(SmtpPhase.CONNECT, SmtpException.Reason.CLOSED, "the client is closed")));
    }
    long id = nextId.incrementAndGet();
    SendRequest request = SendRequest.of(id, address, mail);
    long size = request.size();
    if (size > options.getMaxMessageBytes()) {
      return Future.succeededFuture(new SendOutcome(mail, SendOutcome.Status.REJECTED, null,
        new SmtpException(SmtpPhase.INPUT, SmtpException.Reason.INVALID_INPUT, "the message is " + size
          + " bytes, over the cluster's limit of " + options.getMaxMessageBytes()
          + " (ClusterClientOptions.setMaxMessageBytes, at most " + ClusterClientOptions.MAX_MESSAGE_BYTES_LIMIT
          + "); send it with an SmtpClient of its own"), 0, 0, null));
    }
    progress.submitted();
    Dispatch d = new Dispatch(id, mail, request);
    context.execute(() -> enqueue(d));
    return d.outcome.future();
  }

  private void enqueue(Dispatch d) {
    waiting.addLast(d);
    waitingCount = waiting.size();
    pump();
  }

  /** Sends what waits while a worker has room, each in its turn of the rate. */
  private void pump() {
    while (!pacing && !waiting.isEmpty()) {
      WorkerSlot worker = roomiest();
      if (worker == null) {
        return;
      }
      long wait = limiter.reserve();
      if (wait > PACING_SLACK_NANOS) {
        pacing = true;
        vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)), id -> inTurn());
        return;
      }
      dispatch(waiting.poll(), worker);
    }
  }

  /** The turn reserved before the timer: it goes to whichever worker has room now (or is spent if none has). */
  private void inTurn() {
    pacing = false;
    WorkerSlot worker = roomiest();
    if (worker != null && !waiting.isEmpty()) {
      dispatch(waiting.poll(), worker);
    }
    pump();
  }

  /**
   * The worker with the most room in its window; among equals, the one that was given work longest ago, so that
   * workers that keep up share the work evenly instead of the first one taking it all.
   */
  private WorkerSlot roomiest() {
    WorkerSlot best = null;
    for (WorkerSlot w : workers.values()) {
      if (w.free() > 0 && (best == null || w.free() > best.free()
        || w.free() == best.free() && w.lastDispatch < best.lastDispatch)) {
        best = w;
      }
    }
    return best;
  }

  private void dispatch(Dispatch d, WorkerSlot worker) {
    d.worker = worker;
    d.started = false;
    worker.inFlight++;
    worker.lastDispatch = ++dispatches;
    held.put(d.id, d);
    heldCount = held.size();
    waitingCount = waiting.size();
    vertx.eventBus().send(worker.address, d.request);
  }

  private void onReport(Message<WorkerReport> message) {
    WorkerReport report = message.body();
    Dispatch d = held.get(report.id());
    WorkerSlot worker = workers.get(report.worker());
    if (worker != null && report.throttleEvents() > worker.throttleEvents) {
      throttleEvents.addAndGet(report.throttleEvents() - worker.throttleEvents);
      worker.throttleEvents = report.throttleEvents();
      throttled();
    }
    if (d == null || d.worker == null || !d.worker.nodeId.equals(report.worker())) {
      return; // already ended: its worker was declared gone before this report arrived
    }
    if (report.kind() == WorkerReport.Kind.STARTING) {
      d.started = true;
      return;
    }
    held.remove(d.id);
    heldCount = held.size();
    d.worker.inFlight--;
    settledByWorker.computeIfAbsent(report.worker(), id -> new AtomicLong()).incrementAndGet();
    SendOutcome outcome = OutcomeWire.fromJson(d.mail, report.outcome());
    settle(d, outcome);
    pump();
  }

  private void settle(Dispatch d, SendOutcome outcome) {
    progress.completed(outcome.status());
    d.outcome.complete(outcome);
    if (closing && held.isEmpty() && waiting.isEmpty() && drained != null) {
      drained.tryComplete();
    }
  }

  /** One worker met a throttling reply: the cluster's rate drops for every worker, and grows back when calm. */
  private void throttled() {
    budget.throttled(progress.rate(), System.nanoTime());
    applyRate();
    if (recoveryTimer < 0) {
      recoveryTimer = vertx.setPeriodic(RECOVERY_PERIOD_MS, id -> recover());
    }
  }

  private void recover() {
    if (budget.recover(progress.rate(), System.nanoTime())) {
      applyRate();
    }
    if (!budget.isLowered()) {
      vertx.cancelTimer(recoveryTimer);
      recoveryTimer = -1;
    }
  }

  private void applyRate() {
    limiter.setRate(budget.rate());
    rateNow = budget.rate();
  }

  public SendProgress progress() {
    return progress.snapshot(rateNow, budget.maxSessions(), 0, throttleEvents.get());
  }

  /** Messages settled by each worker (any outcome) since this producer started, by node id; any thread. */
  public Map<String, Long> settledByWorker() {
    Map<String, Long> copy = new TreeMap<>();
    settledByWorker.forEach((node, count) -> copy.put(node, count.get()));
    return copy;
  }

  /** The live workers' node ids, as this producer knows them. */
  public Future<Set<String>> workers() {
    return context.submit(() -> Future.succeededFuture(Set.copyOf(workers.keySet())));
  }

  public int waiting() {
    return waitingCount;
  }

  public int held() {
    return heldCount;
  }

  /** Waits for every message submitted before to end, then stops listening. The Vertx stays the caller's. */
  public Future<Void> close() {
    closing = true;
    return context.submit(() -> {
      if (drained == null) {
        drained = Promise.promise();
        if (held.isEmpty() && waiting.isEmpty()) {
          drained.tryComplete();
        }
      }
      return drained.future()
        .compose(v -> reports.unregister())
        .compose(v -> joins.unregister())
        .onComplete(v -> {
          if (recoveryTimer >= 0) {
            vertx.cancelTimer(recoveryTimer);
          }
        });
    });
  }
}
