package dev.shunt.examples;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.Step;
import dev.shunt.workflow.AwaitCheckersStep;
import dev.shunt.workflow.AwaitHttpStep;
import dev.shunt.workflow.RetryPolicy;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.ShuntStep;
import dev.shunt.workflow.StepOptions;
import dev.shunt.hazelcast.ClusterSafety;
import dev.shunt.hazelcast.HazelcastStatusStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Apps that are Hazelcast members, on this machine: {@link HazelcastApp}s as JVM processes of their
 * own (small heaps), one cluster, a real HAProxy in front of them, and a Hazelcast client in this
 * JVM, as a deploy tool's {@code hazelcast://} store is. It fills the application's map with
 * entries whose values follow from their keys, so that {@link #check()} can count and checksum
 * the whole map afterwards; {@link #restart} stops an app with SIGTERM or SIGKILL and starts a new
 * one on the same ports. For the drill and the benchmark of rolling restarts of such apps. Not
 * thread-safe: one rollout at a time restarts its apps.
 */
public final class HazelcastAppFleet implements AutoCloseable {
  /** The most entries the application's map holds: its keys are {@code 0 .. MAX_ENTRIES - 1}. */
  public static final int MAX_ENTRIES = 100_000;
  /** The heap of each app. */
  public static final String HEAP = "-Xmx512m";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration STOP_TIMEOUT = Duration.ofMinutes(3);
  private static final int BATCH = 1_000;
  private static final Duration GATE_TIMEOUT = Duration.ofMinutes(3);
  /** How often the gate asks: often, since the benchmark measures how soon it opens. */
  private static final Duration GATE_POLL = Duration.ofMillis(100);
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration CHECKER_TIMEOUT = Duration.ofSeconds(60);
  /** The shunt of {@link #rollout}: a lease, so a forgotten one ends by itself. */
  public static final ShuntRequest SHUNT =
      ShuntRequest.of("rolling restart of member apps", "shunt-drill").withTtl(Duration.ofMinutes(3));
  private static final StepOptions STORE_RETRY = StepOptions.none().withRetry(RetryPolicy.builder()
      .maxAttempts(5).initialWait(Duration.ofMillis(200)).maxWait(Duration.ofSeconds(2)).build());
  private static final Pattern MIGRATION_FINISHED = Pattern.compile(
      "^(\\d+) migration finished: started at (\\d+), planned (\\d+), completed (\\d+), remaining (\\d+),"
          + " elapsed (\\d+) ms, wall (\\d+) ms$");
  /** Held so that the level set on it is not lost when java.util.logging lets go of the logger. */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
  /** What Hazelcast asks for on Java 17, as in the build's {@code hazelcast.add-opens}. */
  private static final List<String> ADD_OPENS = List.of("--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  /** How {@link #restart} stops an app. */
  public enum Stop {
    /** SIGTERM: the app drains, stops its server and shuts its member down gracefully. */
    SIGTERM,
    /** SIGKILL: the process and its member are gone at once, their partitions not handed over. */
    SIGKILL
  }

  private final Path directory;
  private final String classpath;
  private final String clusterName;
  private final List<String> hosts;
  private final Map<String, Integer> memberPorts;
  private final Map<String, App> apps = new LinkedHashMap<>();
  private final Map<String, Integer> generations = new HashMap<>();
  private int entries;
  private int valueBytes;
  private Haproxy haproxy;
  private HazelcastInstance client;
  private HazelcastStatusStore store;

  private HazelcastAppFleet(Path directory, String classpath, List<String> hosts, Map<String, Integer> memberPorts) {
    this.directory = directory;
    this.classpath = classpath;
    this.clusterName = "shunt-apps-" + UUID.randomUUID();
    this.hosts = hosts;
    this.memberPorts = memberPorts;
  }

  /**
   * Starts {@code count} apps with {@code classpath} (this module's, with its dependencies), their
   * files in {@code directory}, HAProxy ({@code haproxy}) in front of them and a client of their
   * cluster; returns once every app answers, HAProxy has them all UP and the client is connected.
   */
  public static HazelcastAppFleet start(Path directory, int count, String classpath, Path haproxy)
      throws IOException {
    HAZELCAST_LOG.setLevel(Level.WARNING);
    List<Integer> ports = DemoFleet.freePorts(2 * count + 1);
    List<String> hosts = new ArrayList<>();
    Map<String, Integer> memberPorts = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String host = "127.0.0.1:" + ports.get(i);
      hosts.add(host);
      memberPorts.put(host, ports.get(count + i));
    }
    HazelcastAppFleet fleet = new HazelcastAppFleet(directory, classpath, List.copyOf(hosts), memberPorts);
    try {
      for (String host : hosts) {
        fleet.launch(host);
      }
      for (String host : hosts) {
        fleet.awaitServing(host);
      }
      fleet.client = HazelcastClient.newHazelcastClient(fleet.clientConfig());
      fleet.store = HazelcastStatusStore.builder(fleet.client).build();
      fleet.haproxy = Haproxy.start(haproxy, ports.get(2 * count), hosts, directory);
      fleet.haproxy.awaitAllUp(Duration.ofSeconds(30));
      return fleet;
    } catch (IOException | RuntimeException e) {
      fleet.close();
      throw e;
    }
  }

  private ClientConfig clientConfig() {
    ClientConfig config = HazelcastStatusStore.configure(new ClientConfig());
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    memberPorts.values().forEach(port -> config.getNetworkConfig().addAddress("127.0.0.1:" + port));
    return config;
  }

  /** The apps, {@code 127.0.0.1:port} each: their host names in the store and in HAProxy. */
  public List<String> hosts() {
    return hosts;
  }

  /** The client of the apps' cluster, in this JVM. */
  public HazelcastInstance client() {
    return client;
  }

  /** The statuses, on {@link #client()}: the store a deploy tool's {@code hazelcast://} gives. */
  public HazelcastStatusStore store() {
    return store;
  }

  /**
   * A new client of the apps' cluster, which the caller shuts down: e.g. for a store whose local
   * view starts from what the cluster holds now.
   */
  public HazelcastInstance newClient() {
    return HazelcastClient.newHazelcastClient(clientConfig());
  }

  /**
   * A rolling restart of every app, ready to build: shunt (a lease of 3 minutes), drain (HAProxy's
   * {@code fall} NACKs), restart as {@code how} says, readiness on {@code /}, unshunt, back in
   * rotation (HAProxy's {@code rise}); the shunt and the unshunt are made again when a member
   * leaving cuts them off. With {@code gate}, shunt-hazelcast's {@link ClusterSafety}: {@code
   * cluster-safe} goes just before the restart and {@code cluster-rejoined} (every app's member
   * back) just after readiness. The waits are generous: a loaded machine migrates slowly.
   */
  public Rollout.Builder rollout(Stop how, boolean gate) {
    Rollout.Builder rollout = Rollout.builder()
        .service(HazelcastApp.SERVICE)
        .hosts(hosts)
        .store(store)
        .step(ShuntStep.shunt(SHUNT), STORE_RETRY)
        .step(AwaitCheckersStep.drain().times(Haproxy.FALL).timeout(CHECKER_TIMEOUT).build());
    ClusterSafety safety = ClusterSafety.builder(client).expectedMembers(hosts.size()).timeout(GATE_TIMEOUT)
        .pollInterval(GATE_POLL).build();
    if (gate) {
      rollout.step(safety.beforeRestart());
    }
    rollout.step(Step.named("restart", context -> restart(context.host(), how)))
        .step(AwaitHttpStep.builder().url("http://{host}/").interval(Duration.ofMillis(100)).timeout(READY_TIMEOUT)
            .build());
    if (gate) {
      rollout.step(safety.afterReadiness());
    }
    return rollout.step(ShuntStep.unshunt(), STORE_RETRY)
        .step(AwaitCheckersStep.rotation().times(Haproxy.RISE).timeout(CHECKER_TIMEOUT).build());
  }

  /** The key of an app in the store. */
  public InstanceKey key(String host) {
    return InstanceKey.of(HazelcastApp.SERVICE, host);
  }

  /** HAProxy in front of the apps. */
  public Haproxy haproxy() {
    return haproxy;
  }

  /** The URL clients use: HAProxy's frontend. */
  public URI clientUrl() {
    return URI.create("http://127.0.0.1:" + haproxy.port() + "/");
  }

  /** The fleet's directory: the apps' output, HAProxy's configuration and log. */
  public Path directory() {
    return directory;
  }

  /** The process id of an app's current process. */
  public long pid(String host) {
    return apps.get(host).process.pid();
  }

  /**
   * Puts entries {@code 0 .. count - 1} into the application's map, each a value of
   * {@code valueBytes} bytes that follows from its key, in batches through the client.
   */
  public void fill(int count, int valueBytes) {
    if (count < 1 || count > MAX_ENTRIES || valueBytes < 8) {
      throw new IllegalArgumentException("count must be from 1 to " + MAX_ENTRIES + " and valueBytes >= 8, were "
          + count + " and " + valueBytes);
    }
    IMap<Integer, byte[]> map = client.getMap(HazelcastApp.DATA_MAP);
    for (int from = 0; from < count; from += BATCH) {
      Map<Integer, byte[]> batch = new HashMap<>();
      for (int key = from; key < Math.min(count, from + BATCH); key++) {
        batch.put(key, value(key, valueBytes));
      }
      map.putAll(batch);
    }
    this.entries = count;
    this.valueBytes = valueBytes;
  }

  /** What {@link #fill} put in: its count and the checksum of every entry. */
  public DataCheck expected() {
    long checksum = 0;
    for (int key = 0; key < entries; key++) {
      checksum += entryChecksum(key, value(key, valueBytes));
    }
    return new DataCheck(entries, entries, checksum, 0);
  }

  /**
   * Reads the whole application's map through the client, every key {@link #fill} put in: how
   * many are there, how many hold the value they were given, the map's size, and the checksum of
   * the entries found (a sum of a hash of key and value per entry, so it equals
   * {@link #expected()}'s only when every entry is there, intact).
   */
  public DataCheck check() {
    IMap<Integer, byte[]> map = client.getMap(HazelcastApp.DATA_MAP);
    int found = 0;
    int wrong = 0;
    long checksum = 0;
    for (int from = 0; from < entries; from += BATCH) {
      Set<Integer> keys = new HashSet<>();
      for (int key = from; key < Math.min(entries, from + BATCH); key++) {
        keys.add(key);
      }
      for (Map.Entry<Integer, byte[]> entry : map.getAll(keys).entrySet()) {
        found++;
        checksum += entryChecksum(entry.getKey(), entry.getValue());
        if (!java.util.Arrays.equals(entry.getValue(), value(entry.getKey(), valueBytes))) {
          wrong++;
        }
      }
    }
    return new DataCheck(found, map.size(), checksum, wrong);
  }

  /**
   * What the application's map held.
   *
   * @param entries the keys put in that were found
   * @param size what the map's {@code size()} said
   * @param checksum the sum over the entries found of a hash of key and value
   * @param wrongValues entries found whose value is not the one put in
   */
  public record DataCheck(int entries, int size, long checksum, int wrongValues) {
    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%,d entries (size %,d), checksum %016x, %d wrong values",
          entries, size, checksum, wrongValues);
    }
  }

  private static byte[] value(int key, int size) {
    ByteBuffer value = ByteBuffer.allocate(size);
    long state = key * 0x9E3779B97F4A7C15L + 1;
    while (value.remaining() >= 8) {
      state ^= state << 13;
      state ^= state >>> 7;
      state ^= state << 17;
      value.putLong(state);
    }
    return value.array();
  }

  private static long entryChecksum(int key, byte[] value) {
    long hash = 0xcbf29ce484222325L ^ key;
    for (byte b : value) {
      hash = (hash ^ b) * 0x100000001b3L;
    }
    return hash;
  }

  /**
   * Stops {@code host}'s app as {@code how} says and waits until its process is gone, then starts
   * a new one on the same ports; returns without waiting for it to answer (the rollout's readiness
   * step does).
   */
  public void restart(String host, Stop how) {
    App app = apps.get(host);
    System.out.println(System.currentTimeMillis() + " " + how + " to " + host + " (pid " + app.process.pid() + ")");
    if (how == Stop.SIGTERM) {
      app.process.destroy();
    } else {
      app.process.destroyForcibly();
    }
    try {
      if (!app.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        app.process.destroyForcibly();
        throw new IllegalStateException(host + " did not exit within " + STOP_TIMEOUT + " of " + how + "; see "
            + app.out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping " + host, e);
    }
    launch(host);
  }

  private void launch(String host) {
    int generation = generations.merge(host, 1, Integer::sum);
    String name = "app-" + (hosts.indexOf(host) + 1) + "-" + generation;
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        HEAP, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Dsun.net.httpserver.nodelay=true"));
    command.addAll(ADD_OPENS);
    command.addAll(List.of("-cp", classpath, HazelcastApp.class.getName(), host,
        Integer.toString(memberPorts.get(host)),
        memberPorts.values().stream().map(String::valueOf).collect(Collectors.joining(",")), clusterName));
    Path out = directory.resolve(name + ".out");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      process.getOutputStream().close();
      apps.put(host, new App(process, out));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  private void awaitServing(String host) throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + "/")).timeout(Duration.ofSeconds(5))
        .build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        App app = apps.get(host);
        if (System.nanoTime() > deadline || !app.process.isAlive()) {
          throw new IOException(host + " did not answer within " + START_TIMEOUT + "; see " + app.out, e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      Haproxy.sleep(Duration.ofMillis(100));
    }
  }

  /** Every line each app printed, in the order of {@link #hosts()} and of their restarts. */
  public List<String> output() {
    try (Stream<Path> files = Files.list(directory)) {
      List<String> lines = new ArrayList<>();
      for (Path file : files.filter(f -> f.getFileName().toString().matches("app-\\d+-\\d+\\.out")).sorted().toList()) {
        lines.addAll(Files.readAllLines(file));
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The lines that report a partition of a map that lost every copy of its entries, from every app
   * (each app hears of each loss once).
   */
  public List<String> partitionsLost() {
    return output().stream().filter(line -> line.contains(" entries lost: ")).toList();
  }

  /**
   * The migration processes Hazelcast reported finished, each once (every member hears of it),
   * by their start time; its end is the first member's report of it.
   */
  public List<Migration> migrations() {
    Map<Long, Migration> byStart = new TreeMap<>();
    for (String line : output()) {
      Matcher m = MIGRATION_FINISHED.matcher(line);
      if (m.matches()) {
        Migration migration = new Migration(Long.parseLong(m.group(2)), Long.parseLong(m.group(1)),
            Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Long.parseLong(m.group(6)));
        byStart.merge(migration.startMillis(), migration, (a, b) -> a.finishMillis() <= b.finishMillis() ? a : b);
      }
    }
    return List.copyOf(byStart.values());
  }

  /**
   * One migration process, as Hazelcast's {@code MigrationListener} reported it.
   *
   * @param startMillis when it started (epoch milliseconds)
   * @param finishMillis when its end was heard
   * @param planned the replica migrations it planned
   * @param completed those completed
   * @param elapsedMillis Hazelcast's total elapsed time of its migrations
   */
  public record Migration(long startMillis, long finishMillis, int planned, int completed, long elapsedMillis) {
    /** From its start until its end was heard. */
    public long wallMillis() {
      return finishMillis - startMillis;
    }
  }

  /** Closes the client, HAProxy, and kills every app. */
  @Override
  public void close() {
    if (client != null) {
      store.close();
      client.shutdown();
    }
    for (App app : apps.values()) {
      app.process.destroyForcibly();
    }
    for (App app : apps.values()) {
      try {
        app.process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (haproxy != null) {
      haproxy.close();
    }
  }

  private record App(Process process, Path out) {}
}
