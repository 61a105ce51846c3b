package dev.shunt.workflow.internal;

import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Renews one host's shunt while the rollout works on it: every third of its time to live, the
 * same request again, which a store takes as a renewal. Stopped before the host's unshunt step and
 * when the rollout is done with the host; once stopped it never writes again, so a renewal cannot
 * undo the unshunt that follows.
 */
final class ShuntKeeper {
  private final StatusStore store;
  private final InstanceKey key;
  private final ShuntRequest request;
  private final Consumer<String> log;
  private ScheduledFuture<?> renewals;
  private boolean stopped;

  private ShuntKeeper(StatusStore store, InstanceKey key, ShuntRequest request, Consumer<String> log) {
    this.store = store;
    this.key = key;
    this.request = request;
    this.log = log;
  }

  /** Starts renewing the shunt {@code request} made of {@code key}; {@code request} has a time to live. */
  static ShuntKeeper start(ScheduledExecutorService timers, StatusStore store, InstanceKey key, ShuntRequest request,
      Consumer<String> log) {
    ShuntKeeper keeper = new ShuntKeeper(store, key, request, log);
    long period = Math.max(1, request.ttl().orElseThrow().toNanos() / 3);
    synchronized (keeper) {
      keeper.renewals = timers.scheduleAtFixedRate(keeper::renew, period, period, TimeUnit.NANOSECONDS);
    }
    return keeper;
  }

  private synchronized void renew() {
    if (stopped) {
      return;
    }
    try {
      if (store.status(key).shunted()) {
        store.shunt(key, request);
      }
    } catch (RuntimeException e) {
      log.accept("cannot renew its shunt (time to live " + request.ttl().map(Duration::toString).orElse("")
          + "), will try again: " + e.getMessage());
    }
  }

  /** Stops renewing; waits for a renewal under way, so that none is written after this returns. */
  synchronized void stop() {
    stopped = true;
    renewals.cancel(false);
  }
}
