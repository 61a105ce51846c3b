package dev.shunt.hazelcast;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import dev.shunt.BudgetExceededException;
import dev.shunt.CheckerReport;
import dev.shunt.DisruptionBudget;
import dev.shunt.InstanceKey;
import dev.shunt.JournalEntry;
import dev.shunt.MaintenanceFlag;
import dev.shunt.ShuntException;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.StatusStore;
import dev.shunt.StoreException;
import dev.shunt.hazelcast.internal.CheckerReports;
import dev.shunt.hazelcast.internal.HazelcastCalls;
import dev.shunt.hazelcast.internal.LedgerProcessor;
import dev.shunt.hazelcast.internal.LocalView;
import dev.shunt.hazelcast.internal.MapKey;
import dev.shunt.hazelcast.internal.MapTtl;
import dev.shunt.hazelcast.internal.RemoveReportProcessor;
import dev.shunt.hazelcast.internal.ReportProcessor;
import dev.shunt.hazelcast.internal.ServiceLedger;
import dev.shunt.hazelcast.internal.ShuntProcessor;
import dev.shunt.hazelcast.internal.StoreSerializers;
import dev.shunt.internal.InstanceKeyRules;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A cluster-wide {@link StatusStore} on three Hazelcast {@link IMap}s: a shunt made through any
 * member or client is seen by every other one, so a deploy tool can shunt a host that a health
 * responder on that host then answers "down" for; and so is maintenance mode.
 *
 * <pre>{@code
 * HazelcastInstance hz = Hazelcast.newHazelcastInstance(HazelcastStatusStore.configure(new Config()));
 * try (HazelcastStatusStore store = HazelcastStatusStore.builder(hz).build()) {
 *   store.shunt(InstanceKey.of("checkout", "web-1"),
 *       ShuntRequest.of("deploy", "rollout-42").withTtl(Duration.ofMinutes(10)));
 * }
 * }</pre>
 *
 * <p><b>Setup.</b> Keys, values and the entry processors that change them travel in Hazelcast's
 * Compact format with explicit serializers (never Java serialization). Every member of the
 * cluster must have this module on its class path and be started from a {@link Config} passed
 * through {@link #configure(Config)}, because members run the processors; every client must be
 * started from a {@link ClientConfig} passed through {@link #configure(ClientConfig)}.
 *
 * <p><b>Maps.</b> Statuses live in {@value #DEFAULT_STATUS_MAP}, keyed by instance. A shunt with
 * a time to live ends when a read finds its {@link ShuntStatus#expiresAt() expiresAt} passed on
 * this store's clock, and it leaves the map by itself shortly after, through an IMap per-entry
 * TTL one to two seconds longer than the lease (Hazelcast counts TTLs in whole seconds and may
 * drop an entry up to a second early; a shunt must not end early). Checker reports live in
 * {@value #DEFAULT_CHECKS_MAP}, one entry per instance holding the latest report of each
 * checker. Maintenance flags live in {@value #DEFAULT_MAINTENANCE_MAP}, keyed by service name; a
 * flag with an {@code until} is off once a read finds it passed, and leaves the map by itself
 * through a per-entry TTL, as a shunt does. {@link Builder} chooses other names, e.g. to keep two
 * environments apart in one cluster. Each service has one entry in {@value #DEFAULT_SERVICES_MAP}:
 * its disruption budget, its known hosts and the hosts counted as out of rotation, each with the
 * end of its lease. Rollout journals live in {@value #DEFAULT_JOURNAL_MAP}, one entry per
 * instance.
 *
 * <p><b>Disruption budget.</b> A shunt first takes a place in its service's entry, through an
 * entry processor on the member that owns that entry: the processor admits it only while fewer
 * hosts are out than the budget allows (leases that ended no longer count), so deploy tools on
 * any number of members and clients cannot together exceed it. Then the status is written; if
 * that fails, the place is given back. An unshunt removes the status first and gives the place
 * back second, so for a moment a host may count as out after it is back, never the other way
 * round. A place whose release was lost (the caller died between the two calls) is held until
 * the shunt's lease ends, and forever for a shunt without a time to live: give shunts made under
 * a budget a time to live. Under a network partition each side admits shunts against its own
 * copy of the service's entry, so up to twice the budget (once per side) can be out at once;
 * when the sides merge, one side's entry wins and the other side's places are forgotten while
 * their shunts stay, so until those shunts end or are unshunted more hosts can be out than the
 * entry counts. A budget that must hold through a partition needs a consensus store, which
 * Hazelcast's free edition does not offer (its CP subsystem is an Enterprise feature).
 *
 * <p><b>Semantics</b> are the ones {@link StatusStore} documents: a missing key is in rotation;
 * shunting a shunted key renews it: keeps {@code since}, replaces reason, owner and expiry, a
 * renewal's time to live counting from the renewal, so that renewing extends a lease; a new
 * shunt and an unshunt clear the key's reports, a renewal keeps them. A shunt or renewal is
 * atomic per key (an entry processor on the member that owns it), and so is a report. Clearing
 * the reports is a second call right after the shunt: a report sent in between is lost, and
 * written again by the {@link dev.shunt.HealthResponder} at its next check.
 *
 * <p><b>Local view.</b> {@link #status} and {@link #maintenance} answer from a copy of the
 * status and maintenance maps held in this process, so a health check or a request never waits
 * on the network. Building the store registers an entry listener on each of the two maps and
 * then loads them (one round trip each); events keep the copy current from then on, a few
 * milliseconds behind the cluster on a healthy network. A change made through another store is
 * therefore seen here shortly after, not at once; a change made through this store is seen by
 * this store as soon as the write returns. What can be briefly stale: a key changed elsewhere
 * until its event arrives; after {@code endMaintenance}, an older change of the same flag whose
 * event was still on its way. What can stay stale until the key changes again: anything whose
 * events were missed (a client cut off from the cluster for a while; Hazelcast's event queue
 * overflowing), and a write racing with a {@code clear()} or {@code evictAll()} of a map. Lapsed
 * shunts and flags are still decided on read, with this store's clock. {@link #shuntedInstances},
 * {@link #reports} and every write go to the cluster. {@link #close()} removes the listeners;
 * close a store that is no longer used, or it keeps receiving every change.
 *
 * <p><b>Changes.</b> {@link #onChange} hears each change of a status as its event reaches the
 * local view: shunted (or renewed), unshunted, or expired. A lease's expiry is heard when
 * Hazelcast drops the entry, which is after {@link ShuntStatus#expiresAt() expiresAt} (see Maps)
 * and after a background sweep that runs every 5 s by default (member property
 * {@code hazelcast.internal.map.expiration.task.period.seconds}); {@link #status} says "in
 * rotation" from {@code expiresAt} on, before the event.
 *
 * <p><b>Failures.</b> Every write, and {@link #shuntedInstances} and {@link #reports}, is a call to the
 * member that owns the key (one network round trip). A failed call throws a
 * {@link StoreException} whose cause is Hazelcast's exception; so does building the store when it
 * cannot load the maps (among others when the instance was not started from a configuration
 * passed through {@link #configure}). It is {@linkplain StoreException#retryable() retryable}
 * when the cluster changed under the call or could not be reached for a moment (a member died or
 * left, a connection dropped, a partition moved, the call timed out) and this store's own member
 * or client still runs; a rollout then retries its steps' calls if their retry policy allows.
 * {@code status} and {@code maintenance} do not fail: when the cluster cannot be reached they
 * answer what the view last held. A flag found malformed (written by another client) is kept
 * without the malformed parts, which are logged once per store as the flag arrives. Hazelcast keeps
 * one synchronous backup by default, so a shunt survives the loss of one member. Under a network
 * partition Hazelcast stays available (AP): each side reads and writes its own copy. When the sides
 * merge, the default merge policy ({@code PutIfAbsentMergePolicy}) adds the entries of the smaller
 * side that the larger one lacks and keeps the larger side's where both have one: a shunt made on
 * either side survives, but an unshunt can be undone by the merge and a renewal made on the smaller
 * side is lost.
 *
 * <p>Thread-safe; its settings never change. Holds two entry listeners until {@link #close()}.
 */
public final class HazelcastStatusStore implements StatusStore, AutoCloseable {
  /** The default name of the map of statuses: {@value}. */
  public static final String DEFAULT_STATUS_MAP = "shunt.status";
  /** The default name of the map of checker reports: {@value}. */
  public static final String DEFAULT_CHECKS_MAP = "shunt.checks";
  /** The default name of the map of maintenance flags: {@value}. */
  public static final String DEFAULT_MAINTENANCE_MAP = "shunt.maintenance";
  /** The default name of the map of services (budget, known hosts, hosts out): {@value}. */
  public static final String DEFAULT_SERVICES_MAP = "shunt.services";
  /** The default name of the map of rollout journals: {@value}. */
  public static final String DEFAULT_JOURNAL_MAP = "shunt.journal";

  private final HazelcastInstance hazelcast;
  private final IMap<MapKey, ShuntStatus> statuses;
  private final IMap<MapKey, CheckerReports> checks;
  private final IMap<String, MaintenanceFlag> maintenance;
  private final IMap<String, ServiceLedger> services;
  private final IMap<MapKey, JournalEntry> journals;
  private final Clock clock;
  private final LocalView<MapKey, ShuntStatus> statusView;
  private final LocalView<String, MaintenanceFlag> maintenanceView;
  private final AtomicBoolean closed = new AtomicBoolean();

  private HazelcastStatusStore(Builder builder) {
    this.hazelcast = builder.hazelcast;
    this.statuses = hazelcast.getMap(builder.statusMap);
    this.checks = hazelcast.getMap(builder.checksMap);
    this.maintenance = hazelcast.getMap(builder.maintenanceMap);
    this.services = hazelcast.getMap(builder.servicesMap);
    this.journals = hazelcast.getMap(builder.journalMap);
    this.clock = builder.clock;
    // A key is the one thing the views never send: without this, an instance started without
    // configure(...) would read every entry as a GenericRecord and find no key, all in rotation.
    call(() -> "read the map " + statuses.getName(), () -> statuses.containsKey(new MapKey("", "")));
    this.statusView = call(() -> "watch the map " + statuses.getName(),
        () -> LocalView.open(statuses, hazelcast.getLifecycleService()));
    try {
      this.maintenanceView = call(() -> "watch the map " + maintenance.getName(),
          () -> LocalView.open(maintenance, hazelcast.getLifecycleService()));
    } catch (RuntimeException e) {
      statusView.close();
      throw e;
    }
  }

  /**
   * A builder for a store on {@code hazelcast} (a member or a client, started from a
   * configuration passed through {@link #configure}), starting from the defaults: the default map
   * names and the system UTC clock. {@code builder(hz).build()} is the store with the defaults.
   *
   * @param hazelcast a running member or client; not null
   * @return a new builder with the defaults
   */
  public static Builder builder(HazelcastInstance hazelcast) {
    return new Builder(Objects.requireNonNull(hazelcast, "hazelcast"));
  }

  /**
   * A builder holding this store's settings, to derive a variant.
   *
   * @return a new builder with this store's settings
   */
  public Builder toBuilder() {
    return new Builder(hazelcast)
        .statusMap(statuses.getName())
        .checksMap(checks.getName())
        .maintenanceMap(maintenance.getName())
        .servicesMap(services.getName())
        .journalMap(journals.getName())
        .clock(clock);
  }

  /**
   * Registers what the store needs in a member's configuration: the Compact serializers of its
   * keys, values and entry processors. Call it once per configuration, before the member starts
   * (a second call fails with Hazelcast's {@code InvalidConfigurationException}).
   *
   * @param config the member's configuration, changed in place; not null
   * @return {@code config}, for chaining
   */
  public static Config configure(Config config) {
    StoreSerializers.registerIn(config.getSerializationConfig().getCompactSerializationConfig());
    return config;
  }

  /**
   * Registers what the store needs in a client's configuration; the same rules as
   * {@link #configure(Config)}.
   *
   * @param config the client's configuration, changed in place; not null
   * @return {@code config}, for chaining
   */
  public static ClientConfig configure(ClientConfig config) {
    StoreSerializers.registerIn(config.getSerializationConfig().getCompactSerializationConfig());
    return config;
  }

  /**
   * Calls {@code listener} for every change of a status that this store's local view learns from
   * the cluster from now on, made through any store, this one included: a shunt or renewal
   * ({@link StatusChange.Kind#SHUNTED}), an unshunt or a {@code clear()} of the map
   * ({@link StatusChange.Kind#UNSHUNTED}), a lease that ran out
   * ({@link StatusChange.Kind#EXPIRED}). A change is heard when its event arrives, so a listener
   * may be called after the write that caused it returned; changes to one instance are heard in
   * the order the cluster made them. Changes missed by the view (see Local view) are missed here
   * too, and nothing is heard after {@link #close()}.
   *
   * <p>The listener is called on a Hazelcast event thread: keep it quick and do not block in it
   * (hand slow work to an executor), or it delays every event behind it, and with them the local
   * view. An exception it throws is logged and does not stop later calls.
   *
   * @param listener receives each change, on a Hazelcast event thread; not null
   * @return closing it stops the calls; idempotent
   */
  public Subscription onChange(Consumer<? super StatusChange> listener) {
    Objects.requireNonNull(listener, "listener");
    Runnable stop = statusView.observe((mapKey, status, cause) -> listener.accept(switch (cause) {
      case WRITTEN -> new StatusChange(mapKey.instanceKey(), StatusChange.Kind.SHUNTED, status);
      case REMOVED -> new StatusChange(mapKey.instanceKey(), StatusChange.Kind.UNSHUNTED,
          ShuntStatus.inRotation());
      case EXPIRED -> new StatusChange(mapKey.instanceKey(), StatusChange.Kind.EXPIRED,
          ShuntStatus.inRotation());
    }));
    return stop::run;
  }

  @Override
  public ShuntStatus status(InstanceKey key) {
    Objects.requireNonNull(key, "key");
    ShuntStatus stored = statusView.get(MapKey.of(key));
    return stored != null && stored.isShuntedAt(clock.instant()) ? stored : ShuntStatus.inRotation();
  }

  @Override
  public ShuntStatus shunt(InstanceKey key, ShuntRequest request) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(request, "request");
    MapKey mapKey = MapKey.of(key);
    ShuntStatus requested = ShuntStatus.of(request, clock.instant());
    ServiceLedger ledger = call(() -> "take a place in the disruption budget of " + key.service() + " for " + key,
        () -> services.executeOnKey(key.service(),
            LedgerProcessor.admit(key.host(), requested.since(), requested.expiresAt())));
    if (!ledger.admits(key.host())) {
      int known = ledger.hosts().size() + (ledger.hosts().contains(key.host()) ? 0 : 1);
      throw new BudgetExceededException(key, ledger.budgetOrNull(), known, ledger.out().keySet());
    }
    ShuntStatus previous;
    try {
      previous = call(() -> "shunt " + key, () -> statusView.write(mapKey,
          () -> statuses.executeOnKey(mapKey, new ShuntProcessor(requested)),
          stored -> ShuntProcessor.next(stored, requested), stored -> true));
    } catch (ShuntException e) {
      if (!ledger.out().containsKey(key.host())) {
        releasePlace(key, e);
      }
      throw e;
    }
    if (!ShuntProcessor.renews(previous, requested)) {
      run(() -> "clear the checker reports of " + key + " after shunting it", () -> checks.delete(mapKey));
    }
    return ShuntProcessor.next(previous, requested);
  }

  /** Gives back the budget place a shunt took when the shunt itself failed; keeps the failure. */
  private void releasePlace(InstanceKey key, ShuntException failure) {
    try {
      run(() -> "give back the budget place of " + key,
          () -> services.executeOnKey(key.service(), LedgerProcessor.release(key.host(), clock.instant())));
    } catch (ShuntException e) {
      failure.addSuppressed(e);
    }
  }

  @Override
  public void unshunt(InstanceKey key) {
    Objects.requireNonNull(key, "key");
    MapKey mapKey = MapKey.of(key);
    ShuntStatus removed = call(() -> "unshunt " + key,
        () -> statusView.write(mapKey, () -> statuses.remove(mapKey), stored -> null, Objects::nonNull));
    // After the status: a place given back too late only holds the budget a moment longer.
    run(() -> "give back the budget place of " + key,
        () -> services.executeOnKey(key.service(), LedgerProcessor.release(key.host(), clock.instant())));
    if (removed != null) {
      run(() -> "clear the checker reports of " + key + " after unshunting it", () -> checks.delete(mapKey));
    }
  }

  @Override
  public Map<InstanceKey, ShuntStatus> shuntedInstances(String service) {
    InstanceKeyRules.requireServiceName(service);
    var stored = call(() -> "list the shunted instances of " + service,
        () -> statuses.entrySet(Predicates.equal("__key.service", service)));
    Instant now = clock.instant();
    Map<InstanceKey, ShuntStatus> shunted = new HashMap<>();
    stored.forEach(entry -> {
      if (entry.getValue().isShuntedAt(now)) {
        shunted.put(entry.getKey().instanceKey(), entry.getValue());
      }
    });
    return Map.copyOf(shunted);
  }

  @Override
  public void report(InstanceKey key, CheckerReport report) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(report, "report");
    run(() -> "record a report of " + report.checker() + " for " + key,
        () -> checks.executeOnKey(MapKey.of(key), new ReportProcessor(report)));
  }

  @Override
  public void removeReport(InstanceKey key, String checker) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(checker, "checker");
    run(() -> "remove the report of " + checker + " for " + key,
        () -> checks.executeOnKey(MapKey.of(key), new RemoveReportProcessor(checker)));
  }

  @Override
  public List<CheckerReport> reports(InstanceKey key) {
    Objects.requireNonNull(key, "key");
    CheckerReports stored = call(() -> "read the checker reports of " + key,
        () -> checks.get(MapKey.of(key)));
    return stored == null ? List.of() : stored.reports();
  }

  @Override
  public Optional<MaintenanceFlag> maintenance(String service) {
    InstanceKeyRules.requireServiceName(service);
    MaintenanceFlag flag = maintenanceView.get(service);
    return Optional.ofNullable(flag).filter(f -> f.isOnAt(clock.instant()));
  }

  @Override
  public void startMaintenance(String service, MaintenanceFlag flag) {
    InstanceKeyRules.requireServiceName(service);
    Objects.requireNonNull(flag, "flag");
    long ttlSeconds = MapTtl.seconds(flag.until(), clock.instant());
    run(() -> "start maintenance of " + service, () -> maintenanceView.write(service, () -> {
      maintenance.set(service, flag, ttlSeconds, TimeUnit.SECONDS);
      return flag;
    }, written -> written, written -> true));
  }

  @Override
  public void endMaintenance(String service) {
    InstanceKeyRules.requireServiceName(service);
    // delete, not remove: remove would read back the old flag for nothing. Whether there was one,
    // and so whether an event follows, is then unknown.
    run(() -> "end maintenance of " + service, () -> maintenanceView.write(service, () -> {
      maintenance.delete(service);
      return null;
    }, nothing -> null, nothing -> false));
  }

  @Override
  public void setBudget(String service, DisruptionBudget budget) {
    InstanceKeyRules.requireServiceName(service);
    Objects.requireNonNull(budget, "budget");
    run(() -> "set the disruption budget of " + service,
        () -> services.executeOnKey(service, LedgerProcessor.setBudget(budget, clock.instant())));
  }

  @Override
  public Optional<DisruptionBudget> budget(String service) {
    return Optional.ofNullable(ledger(service).budgetOrNull());
  }

  @Override
  public void clearBudget(String service) {
    InstanceKeyRules.requireServiceName(service);
    run(() -> "clear the disruption budget of " + service,
        () -> services.executeOnKey(service, LedgerProcessor.setBudget(null, clock.instant())));
  }

  @Override
  public void register(InstanceKey key) {
    Objects.requireNonNull(key, "key");
    run(() -> "register " + key,
        () -> services.executeOnKey(key.service(), LedgerProcessor.register(key.host(), clock.instant())));
  }

  @Override
  public void forget(InstanceKey key) {
    Objects.requireNonNull(key, "key");
    run(() -> "forget " + key,
        () -> services.executeOnKey(key.service(), LedgerProcessor.forget(key.host(), clock.instant())));
  }

  @Override
  public Set<String> hosts(String service) {
    return ledger(service).hosts();
  }

  private ServiceLedger ledger(String service) {
    InstanceKeyRules.requireServiceName(service);
    ServiceLedger stored = call(() -> "read the service entry of " + service, () -> services.get(service));
    return stored == null ? ServiceLedger.EMPTY : stored;
  }

  @Override
  public void writeJournal(String service, JournalEntry entry) {
    InstanceKeyRules.requireServiceName(service);
    Objects.requireNonNull(entry, "entry");
    run(() -> "write the rollout journal of " + service,
        () -> journals.set(new MapKey(service, entry.host()), entry));
  }

  @Override
  public List<JournalEntry> journal(String service) {
    InstanceKeyRules.requireServiceName(service);
    return List.copyOf(call(() -> "read the rollout journal of " + service,
        () -> journals.values(Predicates.equal("__key.service", service))));
  }

  @Override
  public void clearJournal(String service) {
    InstanceKeyRules.requireServiceName(service);
    run(() -> "clear the rollout journal of " + service,
        () -> journals.removeAll(Predicates.equal("__key.service", service)));
  }

  /**
   * Removes the entry listeners that keep this store's local view current. Afterwards
   * {@link #status} and {@link #maintenance} answer what the view last held and no longer see
   * changes made elsewhere; writes still reach the cluster. Idempotent; does nothing once the
   * Hazelcast instance has shut down, which removed the listeners already.
   *
   * @throws ShuntException if Hazelcast fails to remove a listener
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        run(() -> "stop watching the map " + statuses.getName(), statusView::close);
      } finally {
        run(() -> "stop watching the map " + maintenance.getName(), maintenanceView::close);
      }
    }
  }

  /**
   * The name of the map of statuses.
   *
   * @return the map's name
   */
  public String statusMap() {
    return statuses.getName();
  }

  /**
   * The name of the map of checker reports.
   *
   * @return the map's name
   */
  public String checksMap() {
    return checks.getName();
  }

  /**
   * The name of the map of maintenance flags.
   *
   * @return the map's name
   */
  public String maintenanceMap() {
    return maintenance.getName();
  }

  /**
   * The name of the map of services: budgets, known hosts, hosts out.
   *
   * @return the map's name
   */
  public String servicesMap() {
    return services.getName();
  }

  /**
   * The name of the map of rollout journals.
   *
   * @return the map's name
   */
  public String journalMap() {
    return journals.getName();
  }

  @Override
  public String toString() {
    return "HazelcastStatusStore{statusMap=" + statuses.getName()
        + ", checksMap=" + checks.getName() + ", maintenanceMap=" + maintenance.getName()
        + ", servicesMap=" + services.getName() + ", journalMap=" + journals.getName() + "}";
  }

  private <T> T call(Supplier<String> what, Supplier<T> action) {
    return HazelcastCalls.call(hazelcast, what, action);
  }

  private void run(Supplier<String> what, Runnable action) {
    call(what, () -> {
      action.run();
      return null;
    });
  }

  /** A registration of an {@link #onChange} listener; {@link #close()} ends it. */
  @FunctionalInterface
  public interface Subscription extends AutoCloseable {
    /** Stops calling the listener. Idempotent; never fails. */
    @Override
    void close();
  }

  /**
   * Configures a {@link HazelcastStatusStore}. Not thread-safe; {@link #build()} validates the
   * settings and returns a thread-safe store.
   */
  public static final class Builder {
    private final HazelcastInstance hazelcast;
    private String statusMap = DEFAULT_STATUS_MAP;
    private String checksMap = DEFAULT_CHECKS_MAP;
    private String maintenanceMap = DEFAULT_MAINTENANCE_MAP;
    private String servicesMap = DEFAULT_SERVICES_MAP;
    private String journalMap = DEFAULT_JOURNAL_MAP;
    private Clock clock = Clock.systemUTC();

    private Builder(HazelcastInstance hazelcast) {
      this.hazelcast = hazelcast;
    }

    /**
     * The name of the map of statuses. Not blank; default {@value HazelcastStatusStore#DEFAULT_STATUS_MAP}.
     *
     * @param statusMap the map's name; not blank
     * @return this builder
     */
    public Builder statusMap(String statusMap) {
      this.statusMap = statusMap;
      return this;
    }

    /**
     * The name of the map of checker reports. Not blank; default
     * {@value HazelcastStatusStore#DEFAULT_CHECKS_MAP}.
     *
     * @param checksMap the map's name; not blank
     * @return this builder
     */
    public Builder checksMap(String checksMap) {
      this.checksMap = checksMap;
      return this;
    }

    /**
     * The name of the map of maintenance flags. Not blank, and not the name of the other two;
     * default {@value HazelcastStatusStore#DEFAULT_MAINTENANCE_MAP}.
     *
     * @param maintenanceMap the map's name; not blank
     * @return this builder
     */
    public Builder maintenanceMap(String maintenanceMap) {
      this.maintenanceMap = maintenanceMap;
      return this;
    }

    /**
     * The name of the map of services (disruption budgets, known hosts, hosts out). Not blank,
     * and not the name of another map; default {@value HazelcastStatusStore#DEFAULT_SERVICES_MAP}.
     *
     * @param servicesMap the map's name; not blank
     * @return this builder
     */
    public Builder servicesMap(String servicesMap) {
      this.servicesMap = servicesMap;
      return this;
    }

    /**
     * The name of the map of rollout journals. Not blank, and not the name of another map;
     * default {@value HazelcastStatusStore#DEFAULT_JOURNAL_MAP}.
     *
     * @param journalMap the map's name; not blank
     * @return this builder
     */
    public Builder journalMap(String journalMap) {
      this.journalMap = journalMap;
      return this;
    }

    /**
     * The clock for a shunt's {@code since} and expiry and for deciding on read whether a shunt
     * has lapsed, and whether a maintenance flag's {@code until} has passed. Default: system UTC.
     * The IMap TTLs that remove lapsed shunts and ended flags run on the members' clocks
     * regardless.
     *
     * @param clock the clock; not null
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Validates the settings and builds the store: registers its entry listeners and loads its
     * local view (see {@link HazelcastStatusStore}); close it when done.
     *
     * @return the store, ready to use; close it when done
     * @throws IllegalArgumentException naming the setting, its value and the rule it breaks
     * @throws ShuntException if Hazelcast cannot register the listeners or load the maps
     */
    public HazelcastStatusStore build() {
      Map<String, String> names = new LinkedHashMap<>();
      names.put("statusMap", statusMap);
      names.put("checksMap", checksMap);
      names.put("maintenanceMap", maintenanceMap);
      names.put("servicesMap", servicesMap);
      names.put("journalMap", journalMap);
      Map<String, String> fieldByName = new HashMap<>();
      names.forEach((field, name) -> {
        requireMapName(field, name);
        String other = fieldByName.putIfAbsent(name, field);
        if (other != null) {
          throw new IllegalArgumentException(field + " must differ from " + other + ", both were '" + name + "'");
        }
      });
      if (clock == null) {
        throw new IllegalArgumentException("clock must be set, was null");
      }
      return new HazelcastStatusStore(this);
    }

    private static void requireMapName(String field, String value) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(field + " must be a non-blank map name, was "
            + (value == null ? "null" : "'" + value + "'"));
      }
    }
  }
}
