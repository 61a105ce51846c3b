package dev.shunt.hazelcast.internal;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.LifecycleService;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import com.hazelcast.map.listener.MapEvictedListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * An in-process copy of one {@link IMap}, kept current by an entry listener, so that a read never
 * waits on the network. Thread-safe.
 *
 * <p><b>Ordering.</b> Hazelcast delivers the events of one key in the order the cluster applied
 * the changes, so the copy of a key is never older than the last event that arrived for it.
 * {@link #open} registers the listener first and loads the map second: a key an event touched
 * during the load keeps the event's value (or absence), because a loaded value may predate it.
 *
 * <p><b>Own writes.</b> {@link #write} puts what it wrote into the copy as soon as the cluster
 * answers, so a caller reads its own write at once. Until the event of that write arrives, older
 * events still on their way for the key are ignored; if the write's event arrived before the
 * answer (another change may have followed it), the copy keeps what the events said. A write whose
 * event is not certain (deleting what may be absent) takes effect at once without that guard:
 * an older event still on its way can then show the previous value for the moment until the
 * write's own event arrives.
 *
 * <p><b>Limits.</b> The copy is as current as the events: a few milliseconds behind the cluster
 * on a healthy network. Events missed (a client disconnected for a while, an overflowing event
 * queue) leave a key stale until it changes again. A {@code clear()} or {@code evictAll()} of the
 * map empties the copy when its event arrives; a write racing with it may be missed the same way.
 *
 * <p><b>Observers</b> hear every change event after the copy took it in, on the Hazelcast event
 * thread that delivered it, in the order the events of a key arrive. A write's own effect is heard
 * when its event arrives, not when {@link #write} returns.
 */
public final class LocalView<K, V> implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LocalView.class.getName());
  private final IMap<K, V> map;
  private final LifecycleService lifecycle;
  private final ConcurrentHashMap<K, Slot<V>> slots = new ConcurrentHashMap<>();
  private final List<Observer<K, V>> observers = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean loading = true;
  private volatile UUID registration;

  private LocalView(IMap<K, V> map, LifecycleService lifecycle) {
    this.map = map;
    this.lifecycle = lifecycle;
  }

  /**
   * Registers the listener on {@code map}, then loads its entries.
   *
   * @param lifecycle the lifecycle of the instance {@code map} belongs to, so that closing after
   *     it shut down does not fail
   */
  public static <K, V> LocalView<K, V> open(IMap<K, V> map, LifecycleService lifecycle) {
    LocalView<K, V> view = new LocalView<>(map, lifecycle);
    view.registration = map.addEntryListener(view.new Listener(), true);
    try {
      for (Map.Entry<K, V> entry : map.entrySet()) {
        view.slots.putIfAbsent(entry.getKey(), Slot.holding(entry.getValue()));
      }
    } catch (RuntimeException e) {
      view.close();
      throw e;
    }
    view.loading = false;
    // Absences that events recorded during the load have done their job: they kept a loaded value out.
    view.slots.forEach((key, slot) -> view.slots.computeIfPresent(key, (k, s) -> view.keep(s)));
    return view;
  }

  /** The value of {@code key} as this view knows it, or null if absent. */
  public V get(K key) {
    Slot<V> slot = slots.get(key);
    return slot == null ? null : slot.value;
  }

  /**
   * Runs {@code action}, a write of {@code key} in the cluster, and puts what it wrote in this view.
   *
   * @param valueAfter the value of the key after the write, from the action's result (null: absent)
   * @param emitsEvent whether the cluster will send an event for this write, from the result
   * @return the action's result
   */
  public <R> R write(K key, Supplier<R> action, Function<? super R, V> valueAfter,
      Predicate<? super R> emitsEvent) {
    slots.compute(key, (k, slot) -> {
      Slot<V> s = slot == null ? Slot.holding(null) : slot;
      s.writes++;
      return s;
    });
    R result;
    try {
      result = action.get();
    } catch (RuntimeException e) {
      slots.compute(key, (k, s) -> finishWrite(s));
      throw e;
    }
    V written = valueAfter.apply(result);
    boolean announced = emitsEvent.test(result);
    slots.compute(key, (k, s) -> {
      if (!announced) {
        s.value = written;
        s.awaiting = false;
      } else if (s.seenDuringWrites.contains(written)) {
        // The write's own event came first; what followed it, if anything, is newer still.
        s.value = s.seenDuringWrites.get(s.seenDuringWrites.size() - 1);
        s.awaiting = false;
      } else {
        s.value = written;
        s.awaiting = true;
        s.awaited = written;
      }
      return finishWrite(s);
    });
    return result;
  }

  /**
   * Calls {@code observer} on every change event from now on, until the returned action runs.
   */
  public Runnable observe(Observer<K, V> observer) {
    Objects.requireNonNull(observer, "observer");
    observers.add(observer);
    return () -> observers.remove(observer);
  }

  /** Removes the listener; the view keeps what it holds but no longer changes. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && registration != null && lifecycle.isRunning()) {
      map.removeEntryListener(registration);
    }
  }

  private Slot<V> finishWrite(Slot<V> slot) {
    slot.writes--;
    if (slot.writes == 0) {
      slot.seenDuringWrites.clear();
    }
    return keep(slot);
  }

  private Slot<V> keep(Slot<V> slot) {
    return slot.value == null && slot.writes == 0 && !slot.awaiting && !loading ? null : slot;
  }

  private void onEvent(K key, V value, Cause cause) {
    apply(key, value);
    tell(key, value, cause);
  }

  private void apply(K key, V value) {
    slots.compute(key, (k, slot) -> {
      Slot<V> s = slot == null ? Slot.holding(null) : slot;
      if (s.writes > 0) {
        s.seenDuringWrites.add(value);
      }
      if (!s.awaiting) {
        s.value = value;
      } else if (Objects.equals(s.awaited, value)) {
        s.value = value;
        s.awaiting = false;
        s.awaited = null;
      }
      // else: an event older than this view's own write, which the write already superseded.
      return keep(s);
    });
  }

  private void onMapWide(Cause cause) {
    List<K> emptied = new ArrayList<>();
    slots.forEach((key, slot) -> slots.computeIfPresent(key, (k, s) -> {
      if (s.value != null) {
        emptied.add(k);
      }
      s.value = null;
      s.awaiting = false;
      s.awaited = null;
      return keep(s);
    }));
    emptied.forEach(key -> tell(key, null, cause));
  }

  private void tell(K key, V value, Cause cause) {
    for (Observer<K, V> observer : observers) {
      try {
        observer.changed(key, value, cause);
      } catch (RuntimeException e) {
        // One failing observer must neither keep the others from hearing nor reach Hazelcast.
        LOG.log(System.Logger.Level.WARNING, "a listener of the map " + map.getName()
            + " failed on a change of " + key, e);
      }
    }
  }

  /** What a change event says happened to a key. */
  public enum Cause {
    /** Added, updated or merged: the key holds the event's value. */
    WRITTEN,
    /** Removed by a call, or by a {@code clear()} of the map. */
    REMOVED,
    /** Dropped by Hazelcast: its time to live passed, or it was evicted. */
    EXPIRED
  }

  /** Hears the changes of a {@link LocalView}. */
  @FunctionalInterface
  public interface Observer<K, V> {
    /**
     * Called on a Hazelcast event thread after the view took the change in.
     *
     * @param value the key's value after the change; null when absent
     */
    void changed(K key, V value, Cause cause);
  }

  /** One key's copy; every field but {@code value} is only touched under the map's lock of the key. */
  private static final class Slot<V> {
    volatile V value;
    int writes;
    final List<V> seenDuringWrites = new ArrayList<>();
    boolean awaiting;
    V awaited;

    static <V> Slot<V> holding(V value) {
      Slot<V> slot = new Slot<>();
      slot.value = value;
      return slot;
    }
  }

  private final class Listener implements EntryAddedListener<K, V>, EntryUpdatedListener<K, V>,
      EntryMergedListener<K, V>, EntryRemovedListener<K, V>, EntryEvictedListener<K, V>,
      EntryExpiredListener<K, V>, MapClearedListener, MapEvictedListener {

    @Override
    public void entryAdded(EntryEvent<K, V> event) {
      onEvent(event.getKey(), event.getValue(), Cause.WRITTEN);
    }

    @Override
    public void entryUpdated(EntryEvent<K, V> event) {
      onEvent(event.getKey(), event.getValue(), Cause.WRITTEN);
    }

    @Override
    public void entryMerged(EntryEvent<K, V> event) {
      onEvent(event.getKey(), event.getValue(), Cause.WRITTEN);
    }

    @Override
    public void entryRemoved(EntryEvent<K, V> event) {
      onEvent(event.getKey(), null, Cause.REMOVED);
    }

    @Override
    public void entryEvicted(EntryEvent<K, V> event) {
      onEvent(event.getKey(), null, Cause.EXPIRED);
    }

    @Override
    public void entryExpired(EntryEvent<K, V> event) {
      onEvent(event.getKey(), null, Cause.EXPIRED);
    }

    @Override
    public void mapCleared(MapEvent event) {
      onMapWide(Cause.REMOVED);
    }

    @Override
    public void mapEvicted(MapEvent event) {
      onMapWide(Cause.EXPIRED);
    }
  }
}
