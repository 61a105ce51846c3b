package dev.shunt.workflow.cli;

import dev.shunt.DeployLock;
import dev.shunt.InstanceKey;
import dev.shunt.OpenedStore;
import dev.shunt.StatusStore;
import dev.shunt.StatusStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The command line run in this JVM on a store under test, with an environment of the test's
 * choosing; keeps what each run printed and returned.
 */
final class CliFixture {
  static final String SERVICE = "checkout";

  /** The stores every command is tested against. */
  enum Store {
    /** Flag files under a temporary directory, opened from {@code file:DIR} as a user would. */
    FLAG_FILES,
    /** One in-memory store and deploy lock that {@code memory:} opens in every run, as if all ran in one process. */
    IN_MEMORY
  }

  /** What one run returned and printed. */
  record Result(int exit, String out, String err) {
    List<String> outLines() {
      return out.lines().toList();
    }
  }

  private final String spec;
  private final StatusStore store;
  private final DeployLock deployLock;
  private final Function<String, OpenedStore> stores;
  private final Map<String, String> environment = new HashMap<>();
  private final List<String> opened = new ArrayList<>();
  private Clock clock = Clock.systemUTC();

  private CliFixture(String spec, StatusStore store, DeployLock deployLock, Function<String, OpenedStore> stores) {
    this.spec = spec;
    this.store = store;
    this.deployLock = deployLock;
    this.stores = stores;
  }

  /** A command line on {@code kind}; flag files live in {@code directory}. */
  static CliFixture on(Store kind, Path directory) {
    if (kind == Store.FLAG_FILES) {
      return new CliFixture("file:" + directory, StatusStore.flagFiles(directory), DeployLock.flagFiles(directory),
          StatusStores::open);
    }
    StatusStore shared = StatusStore.inMemory();
    DeployLock lock = DeployLock.inMemory();
    return new CliFixture("memory:", shared, lock,
        spec -> spec.equals("memory:") ? OpenedStore.of(shared, lock) : StatusStores.open(spec));
  }

  /** A command line on an in-memory store, opened from {@code memory:}, whose provider offers no deploy lock. */
  static CliFixture withoutDeployLock() {
    StatusStore shared = StatusStore.inMemory();
    return new CliFixture("memory:", shared, null,
        spec -> spec.equals("memory:") ? OpenedStore.of(shared) : StatusStores.open(spec));
  }

  /** Sets an environment variable for the runs. */
  CliFixture env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** The clock of the runs. */
  CliFixture clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** The spec that names the store under test. */
  String spec() {
    return spec;
  }

  /** The store under test, as the application's health responder would see it. */
  StatusStore store() {
    return store;
  }

  /** The deploy lock that goes with the store under test, as another deploy tool would take it; null if none. */
  DeployLock deployLock() {
    return deployLock;
  }

  /** The key of {@code host} in {@link #SERVICE}. */
  InstanceKey key(String host) {
    return InstanceKey.of(SERVICE, host);
  }

  /** The specs the runs opened, in order. */
  List<String> opened() {
    return List.copyOf(opened);
  }

  /** Runs {@code args} exactly as given. */
  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Function<String, OpenedStore> recording = requested -> {
      opened.add(requested);
      return stores.apply(requested);
    };
    int exit = new ShuntCli(environment, recording, clock).execute(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(exit, out.toString(), err.toString());
  }

  /** Runs {@code args} after {@code --store SPEC --service checkout}. */
  Result runOnService(String... args) {
    return run(Stream.concat(Stream.of("--store", spec, "--service", SERVICE), Stream.of(args)).toArray(String[]::new));
  }
}
