package dev.shunt.hazelcast;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import dev.shunt.CheckerReport;
import dev.shunt.InstanceKey;
import dev.shunt.MaintenanceFlag;
import dev.shunt.ShuntException;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.StatusStore;
import dev.shunt.hazelcast.internal.CheckerReports;
import dev.shunt.hazelcast.internal.MapKey;
import dev.shunt.hazelcast.internal.MapTtl;
import dev.shunt.hazelcast.internal.ReportProcessor;
import dev.shunt.hazelcast.internal.ShuntProcessor;
import dev.shunt.hazelcast.internal.StoreSerializers;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A cluster-wide {@link StatusStore} on three Hazelcast {@link IMap}s: a shunt made through any
 * member or client is seen by every other one, so a deploy tool can shunt a host that a health
 * responder on that host then answers "down" for; and so is maintenance mode.
 *
 * <pre>{@code
 * HazelcastInstance hz = Hazelcast.newHazelcastInstance(HazelcastStatusStore.configure(new Config()));
 * StatusStore store = HazelcastStatusStore.create(hz);
 * store.shunt(InstanceKey.of("checkout", "web-1"),
 *     ShuntRequest.of("deploy", "rollout-42").withTtl(Duration.ofMinutes(10)));
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
 * environments apart in one cluster.
 *
 * <p><b>Semantics</b> are the ones {@link StatusStore} documents: a missing key is in rotation;
 * shunting a shunted key renews it: keeps {@code since}, replaces reason, owner and expiry, a
 * renewal's time to live counting from the renewal, so that renewing extends a lease; a new
 * shunt and an unshunt clear the key's reports, a renewal keeps them. A shunt or renewal is
 * atomic per key (an entry processor on the member that owns it), and so is a report. Clearing
 * the reports is a second call right after the shunt: a report sent in between is lost, and
 * written again by the {@link dev.shunt.HealthResponder} at its next check.
 *
 * <p><b>Failures.</b> Every operation is a call to the member that owns the key (one network
 * round trip; there is no local view yet). A failed call throws a {@link ShuntException} whose
 * cause is Hazelcast's exception; {@code status} and {@code maintenance} too, unlike the stores
 * that need no server, so a {@link dev.shunt.HealthResponder} catches it, answers "up" and logs
 * it, and a {@link dev.shunt.MaintenanceResponder} lets the request through. Since a
 * {@code MaintenanceResponder} reads the flag on every request, each request then costs a round
 * trip to the member that owns the service's flag. A flag a read finds malformed (written by
 * another client) comes back without the malformed parts, which are logged. Hazelcast keeps one
 * synchronous backup by default, so a shunt survives the loss of one member. Under a network
 * partition Hazelcast stays available (AP): each side reads and writes its own copy. When the
 * sides merge, the default merge policy ({@code PutIfAbsentMergePolicy}) adds the entries of the
 * smaller side that the larger one lacks and keeps the larger side's where both have one: a
 * shunt made on either side survives, but an unshunt can be undone by the merge and a renewal
 * made on the smaller side is lost.
 *
 * <p>Immutable and thread-safe.
 */
public final class HazelcastStatusStore implements StatusStore {
  /** The default name of the map of statuses: {@value}. */
  public static final String DEFAULT_STATUS_MAP = "shunt.status";
  /** The default name of the map of checker reports: {@value}. */
  public static final String DEFAULT_CHECKS_MAP = "shunt.checks";
  /** The default name of the map of maintenance flags: {@value}. */
  public static final String DEFAULT_MAINTENANCE_MAP = "shunt.maintenance";

  private final HazelcastInstance hazelcast;
  private final IMap<MapKey, ShuntStatus> statuses;
  private final IMap<MapKey, CheckerReports> checks;
  private final IMap<String, MaintenanceFlag> maintenance;
  private final Clock clock;

  private HazelcastStatusStore(Builder builder) {
    this.hazelcast = builder.hazelcast;
    this.statuses = hazelcast.getMap(builder.statusMap);
    this.checks = hazelcast.getMap(builder.checksMap);
    this.maintenance = hazelcast.getMap(builder.maintenanceMap);
    this.clock = builder.clock;
  }

  /**
   * A store on {@code hazelcast} (a member or a client, started from a configuration passed
   * through {@link #configure}) with the default map names and the system UTC clock.
   */
  public static HazelcastStatusStore create(HazelcastInstance hazelcast) {
    return newBuilder(hazelcast).build();
  }

  /** A builder for a store on {@code hazelcast}, starting from the defaults. */
  public static Builder newBuilder(HazelcastInstance hazelcast) {
    return new Builder(Objects.requireNonNull(hazelcast, "hazelcast"));
  }

  /** A builder holding this store's settings, to derive a variant. */
  public Builder toBuilder() {
    return new Builder(hazelcast)
        .statusMap(statuses.getName())
        .checksMap(checks.getName())
        .maintenanceMap(maintenance.getName())
        .clock(clock);
  }

  /**
   * Registers what the store needs in a member's configuration: the Compact serializers of its
   * keys, values and entry processors. Call it once per configuration, before the member starts
   * (a second call fails with Hazelcast's {@code InvalidConfigurationException}).
   *
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
   * @return {@code config}, for chaining
   */
  public static ClientConfig configure(ClientConfig config) {
    StoreSerializers.registerIn(config.getSerializationConfig().getCompactSerializationConfig());
    return config;
  }

  @Override
  public ShuntStatus status(InstanceKey key) {
    Objects.requireNonNull(key, "key");
    ShuntStatus stored = call(() -> "read the status of " + key, () -> statuses.get(MapKey.of(key)));
    return stored != null && stored.isShuntedAt(clock.instant()) ? stored : ShuntStatus.inRotation();
  }

  @Override
  public ShuntStatus shunt(InstanceKey key, ShuntRequest request) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(request, "request");
    MapKey mapKey = MapKey.of(key);
    ShuntStatus requested = ShuntStatus.shunted(request, clock.instant());
    ShuntStatus previous = call(() -> "shunt " + key,
        () -> statuses.executeOnKey(mapKey, new ShuntProcessor(requested)));
    if (!ShuntProcessor.renews(previous, requested)) {
      run(() -> "clear the checker reports of " + key + " after shunting it", () -> checks.delete(mapKey));
    }
    return ShuntProcessor.next(previous, requested);
  }

  @Override
  public void unshunt(InstanceKey key) {
    Objects.requireNonNull(key, "key");
    MapKey mapKey = MapKey.of(key);
    ShuntStatus removed = call(() -> "unshunt " + key, () -> statuses.remove(mapKey));
    if (removed != null) {
      run(() -> "clear the checker reports of " + key + " after unshunting it", () -> checks.delete(mapKey));
    }
  }

  @Override
  public Map<InstanceKey, ShuntStatus> shunted(String service) {
    InstanceKey.requireServiceName(service);
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
  public List<CheckerReport> reports(InstanceKey key) {
    Objects.requireNonNull(key, "key");
    CheckerReports stored = call(() -> "read the checker reports of " + key,
        () -> checks.get(MapKey.of(key)));
    return stored == null ? List.of() : stored.reports();
  }

  @Override
  public Optional<MaintenanceFlag> maintenance(String service) {
    InstanceKey.requireServiceName(service);
    MaintenanceFlag flag = call(() -> "read the maintenance flag of " + service, () -> maintenance.get(service));
    return Optional.ofNullable(flag).filter(f -> f.isOnAt(clock.instant()));
  }

  @Override
  public void startMaintenance(String service, MaintenanceFlag flag) {
    InstanceKey.requireServiceName(service);
    Objects.requireNonNull(flag, "flag");
    long ttlSeconds = MapTtl.seconds(flag.until(), clock.instant());
    run(() -> "start maintenance of " + service,
        () -> maintenance.set(service, flag, ttlSeconds, TimeUnit.SECONDS));
  }

  @Override
  public void endMaintenance(String service) {
    InstanceKey.requireServiceName(service);
    run(() -> "end maintenance of " + service, () -> maintenance.delete(service));
  }

  /** The name of the map of statuses. */
  public String statusMap() {
    return statuses.getName();
  }

  /** The name of the map of checker reports. */
  public String checksMap() {
    return checks.getName();
  }

  /** The name of the map of maintenance flags. */
  public String maintenanceMap() {
    return maintenance.getName();
  }

  @Override
  public String toString() {
    return "HazelcastStatusStore{statusMap=" + statuses.getName()
        + ", checksMap=" + checks.getName() + ", maintenanceMap=" + maintenance.getName() + "}";
  }

  /**
   * Runs one Hazelcast call, turning its failure into a {@link ShuntException} that says what
   * failed and why, in one line: Hazelcast often wraps the reason (e.g. a missing serializer).
   */
  private static <T> T call(Supplier<String> what, Supplier<T> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String why = root == e || Objects.equals(root.getMessage(), e.getMessage())
          ? String.valueOf(e.getMessage())
          : e.getMessage() + ": " + root.getMessage();
      throw new ShuntException("cannot " + what.get() + " in Hazelcast: " + why, e);
    }
  }

  private static void run(Supplier<String> what, Runnable action) {
    call(what, () -> {
      action.run();
      return null;
    });
  }

  /**
   * Configures a {@link HazelcastStatusStore}. Not thread-safe; {@link #build()} validates the
   * settings and returns an immutable, thread-safe store.
   */
  public static final class Builder {
    private final HazelcastInstance hazelcast;
    private String statusMap = DEFAULT_STATUS_MAP;
    private String checksMap = DEFAULT_CHECKS_MAP;
    private String maintenanceMap = DEFAULT_MAINTENANCE_MAP;
    private Clock clock = Clock.systemUTC();

    private Builder(HazelcastInstance hazelcast) {
      this.hazelcast = hazelcast;
    }

    /** The name of the map of statuses. Not blank; default {@value HazelcastStatusStore#DEFAULT_STATUS_MAP}. */
    public Builder statusMap(String statusMap) {
      this.statusMap = statusMap;
      return this;
    }

    /**
     * The name of the map of checker reports. Not blank; default
     * {@value HazelcastStatusStore#DEFAULT_CHECKS_MAP}.
     */
    public Builder checksMap(String checksMap) {
      this.checksMap = checksMap;
      return this;
    }

    /**
     * The name of the map of maintenance flags. Not blank, and not the name of the other two;
     * default {@value HazelcastStatusStore#DEFAULT_MAINTENANCE_MAP}.
     */
    public Builder maintenanceMap(String maintenanceMap) {
      this.maintenanceMap = maintenanceMap;
      return this;
    }

    /**
     * The clock for a shunt's {@code since} and expiry and for deciding on read whether a shunt
     * has lapsed, and whether a maintenance flag's {@code until} has passed. Default: system UTC.
     * The IMap TTLs that remove lapsed shunts and ended flags run on the members' clocks
     * regardless.
     */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Validates the settings and builds the store.
     *
     * @throws IllegalArgumentException naming the setting, its value and the rule it breaks
     */
    public HazelcastStatusStore build() {
      requireMapName("statusMap", statusMap);
      requireMapName("checksMap", checksMap);
      if (statusMap.equals(checksMap)) {
        throw new IllegalArgumentException(
            "statusMap and checksMap must differ, both were '" + statusMap + "'");
      }
      requireMapName("maintenanceMap", maintenanceMap);
      if (maintenanceMap.equals(statusMap) || maintenanceMap.equals(checksMap)) {
        throw new IllegalArgumentException("maintenanceMap must differ from statusMap ('" + statusMap
            + "') and checksMap ('" + checksMap + "'), was '" + maintenanceMap + "'");
      }
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
