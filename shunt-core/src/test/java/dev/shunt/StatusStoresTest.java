package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a store from a spec: the built-in schemes, providers on the class path, and the errors. */
class StatusStoresTest {
  private static final InstanceKey WEB_1 = InstanceKey.of("checkout", "web-1");
  private static final ShuntRequest DEPLOY = ShuntRequest.of("deploy", "ci");

  @TempDir
  Path directory;

  @Test
  void memorySpecOpensANewEmptyStoreEachTime() {
    try (OpenedStore first = StatusStores.open("memory:"); OpenedStore second = StatusStores.open("memory:")) {
      first.store().shunt(WEB_1, DEPLOY);

      assertThat(first.store().status(WEB_1).shunted()).isTrue();
      assertThat(second.store().status(WEB_1).shunted()).isFalse();
    }
  }

  @Test
  void memorySpecWithAnythingAfterTheColonIsMalformed() {
    assertThatThrownBy(() -> StatusStores.open("memory:shared"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("store spec 'memory:shared' is malformed: memory: takes nothing after the colon"
            + " (each open is a new, empty store)");
  }

  @Test
  void fileSpecOpensFlagFilesInThatDirectory() {
    try (OpenedStore opened = StatusStores.open("file:" + directory)) {
      opened.store().shunt(WEB_1, DEPLOY);
    }

    assertThat(directory.resolve("checkout/web-1.shunt")).isRegularFile();
    assertThat(StatusStore.flagFiles(directory).status(WEB_1).reason()).isEqualTo("deploy");
  }

  @Test
  void fileUriWithThreeSlashesNamesTheSameDirectory() {
    try (OpenedStore opened = StatusStores.open("file://" + directory)) {
      opened.store().shunt(WEB_1, DEPLOY);
    }

    assertThat(directory.resolve("checkout/web-1.shunt")).isRegularFile();
  }

  @Test
  void fileSpecWithARelativePathIsUnderTheWorkingDirectory() throws Exception {
    String relative = "target/status-stores-test-" + UUID.randomUUID();
    try (OpenedStore opened = StatusStores.open("file:" + relative)) {
      opened.store().shunt(WEB_1, DEPLOY);
    }

    assertThat(Path.of(relative).toAbsolutePath().resolve("checkout/web-1.shunt")).isRegularFile();
  }

  @Test
  void fileSpecNeedsNotExistYet() {
    Path missing = directory.resolve("not/yet");

    try (OpenedStore opened = StatusStores.open("file:" + missing)) {
      assertThat(opened.store().status(WEB_1).shunted()).isFalse();
      opened.store().shunt(WEB_1, DEPLOY);
    }

    assertThat(missing.resolve("checkout/web-1.shunt")).isRegularFile();
  }

  @Test
  void fileSpecNamingARegularFileCannotBeOpened() throws Exception {
    Path file = Files.writeString(directory.resolve("a-file"), "x");

    assertThatThrownBy(() -> StatusStores.open("file:" + file))
        .isInstanceOf(StoreException.class)
        .hasMessage("cannot use " + file + " for flag files (store spec 'file:" + file + "'): it is not a directory")
        .satisfies(e -> assertThat(((StoreException) e).retryable()).as("retryable").isFalse());
  }

  @Test
  void fileSpecWithoutADirectoryIsMalformed() {
    assertThatThrownBy(() -> StatusStores.open("file:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("store spec 'file:' is malformed: it names no directory, e.g. file:/var/run/shunt");
  }

  @Test
  void fileSpecNamingAHostIsMalformed() {
    assertThatThrownBy(() -> StatusStores.open("file://fileserver/var/run/shunt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("store spec 'file://fileserver/var/run/shunt' is malformed: file:// must be"
            + " followed by an absolute path");
  }

  @Test
  void fileSpecWithAnImpossiblePathIsMalformed() {
    assertThatThrownBy(() -> StatusStores.open("file:/tmp/a\0b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("store spec 'file:/tmp/a\0b' is malformed: ");
  }

  @Test
  void schemeIsCaseInsensitive() {
    try (OpenedStore opened = StatusStores.open("FILE:" + directory)) {
      opened.store().shunt(WEB_1, DEPLOY);
    }

    assertThat(directory.resolve("checkout/web-1.shunt")).isRegularFile();
  }

  @Test
  void bareAbsolutePathIsRefusedWithTheFileSpecItMeant() {
    assertThatThrownBy(() -> StatusStores.open("/var/run/shunt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("store spec '/var/run/shunt' has no scheme; for flag files in that directory"
            + " write file:/var/run/shunt; known schemes: memory: (e.g. memory:), file: (e.g. file:/var/run/shunt)");
  }

  @Test
  void unknownSchemeIsRefusedListingTheKnownOnes() {
    assertThatThrownBy(() -> StatusStores.open("redis://cache:6379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("store spec 'redis://cache:6379' has an unknown scheme 'redis:'; known schemes:"
            + " memory: (e.g. memory:), file: (e.g. file:/var/run/shunt)");
  }

  @Test
  void fileSpecOffersTheFlagFileDeployLockOfTheSameDirectory() {
    try (OpenedStore opened = StatusStores.open("file:" + directory)) {
      opened.deployLock().orElseThrow().tryAcquire("checkout", "ci", "deploy", Duration.ofMinutes(1)).orElseThrow();
    }

    assertThat(DeployLock.flagFiles(directory).holder("checkout")).hasValueSatisfying(grant ->
        assertThat(grant.owner()).isEqualTo("ci"));
  }

  @Test
  void memorySpecOffersADeployLockOfItsOwn() {
    try (OpenedStore opened = StatusStores.open("memory:")) {
      DeployLock lock = opened.deployLock().orElseThrow();
      lock.tryAcquire("checkout", "ci", "deploy", Duration.ofMinutes(1)).orElseThrow();

      assertThat(lock.tryAcquire("checkout", "someone else", "deploy", Duration.ofMinutes(1))).isEmpty();
    }
  }

  @Test
  void storeOpenedWithoutALockOffersNone() {
    assertThat(OpenedStore.of(StatusStore.inMemory()).deployLock()).isEmpty();
  }

  @Test
  void memoryAndFileSpecsOfferNoClusterGate() {
    assertThat(StatusStores.open("memory:").clusterGate()).isEmpty();
    assertThat(StatusStores.open("file:" + directory).clusterGate()).isEmpty();
  }

  @Test
  void storeOfferingAClusterGateSharesOneCleanUpWithTheStoreItCameFrom() {
    AtomicInteger cleanUps = new AtomicInteger();
    OpenedStore without = OpenedStore.of(StatusStore.inMemory(), cleanUps::incrementAndGet);
    ClusterGate gate = (ClusterGate) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {ClusterGate.class}, (proxy, method, args) -> null);

    OpenedStore with = without.withClusterGate(gate);
    with.close();
    without.close();

    assertThat(with.clusterGate()).containsSame(gate);
    assertThat(without.clusterGate()).isEmpty();
    assertThat(cleanUps).hasValue(1);
  }

  @Test
  void blankSpecIsRefused() {
    assertThatThrownBy(() -> StatusStores.open(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("store spec must not be blank, was ' '; known schemes: memory:");
  }

  @Test
  void providerOnTheClassPathOpensItsScheme() throws Exception {
    CountingProvider.CLEAN_UPS.set(0);

    OpenedStore opened = withProviders(List.of(CountingProvider.class), () -> StatusStores.open("counting:anything"));

    assertThat(opened.store().status(WEB_1).reason()).isEqualTo("counting:anything");
    opened.close();
    opened.close();
    assertThat(CountingProvider.CLEAN_UPS).hasValue(1);
  }

  @Test
  void unknownSchemeListsTheProvidersOnTheClassPathToo() throws Exception {
    assertThatThrownBy(() -> withProviders(List.of(CountingProvider.class), () -> StatusStores.open("nope:x")))
        .hasMessageEndingWith("file: (e.g. file:/var/run/shunt), counting: (e.g. counting:x)");
  }

  @Test
  void twoProvidersOfOneSchemeAreRefused() {
    assertThatThrownBy(() -> withProviders(List.of(CountingProvider.class, OtherCountingProvider.class),
        () -> StatusStores.open("counting:x")))
        .isInstanceOf(ShuntException.class)
        .hasMessage("store scheme 'counting:' is provided by more than one class on the class path: ["
            + CountingProvider.class.getName() + ", " + OtherCountingProvider.class.getName() + "]; keep one");
  }

  /**
   * Runs {@code action} with a context class loader whose {@code META-INF/services} lists
   * {@code providers}, as a jar on the class path would.
   */
  private <T> T withProviders(List<Class<?>> providers, Callable<T> action) throws Exception {
    Path root = Files.createTempDirectory(directory, "providers");
    Path services = Files.createDirectories(root.resolve("META-INF/services"));
    Files.write(services.resolve(StatusStoreProvider.class.getName()),
        providers.stream().map(Class::getName).toList());
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, getClass().getClassLoader())) {
      thread.setContextClassLoader(loader);
      return action.call();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** Opens a store in which web-1 is shunted with the spec as reason; counts clean-ups. */
  public static class CountingProvider implements StatusStoreProvider {
    static final AtomicInteger CLEAN_UPS = new AtomicInteger();

    @Override
    public String scheme() {
      return "counting";
    }

    @Override
    public String example() {
      return "counting:x";
    }

    @Override
    public OpenedStore open(String spec) {
      StatusStore store = StatusStore.inMemory();
      store.shunt(WEB_1, ShuntRequest.of(spec, "test"));
      return OpenedStore.of(store, CLEAN_UPS::incrementAndGet);
    }
  }

  /** A second provider of {@code counting:}. */
  public static class OtherCountingProvider extends CountingProvider {
  }
}
