package dev.shunt.internal;

import dev.shunt.DeployLock;
import dev.shunt.LockGrant;
import dev.shunt.StoreException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * {@link DeployLock#flagFiles(Path)}: the lock of a service is the file
 * {@code <dir>/<service>/deploy.lock}, holding the last token handed out and the holder (owner,
 * reason, lease end), empty fields when free. Every operation reads, decides and rewrites it while
 * holding an operating-system lock on {@code <dir>/<service>/.deploy.lock.lock}, so it is atomic
 * for every process on the host. The file is never deleted, since it carries the token counter.
 * Files are read, created and replaced as {@link FlagFileStatusStore} does: never through a link,
 * with modes that let the store's group read them whatever the umask.
 */
public final class FlagFileDeployLock implements DeployLock {
  private static final String LOCK_FILE = "deploy.lock";
  private static final String GUARD_FILE = ".deploy.lock.lock";

  private static final System.Logger LOG = System.getLogger(FlagFileDeployLock.class.getName());

  private final Path directory;
  private final Clock clock;

  /** The stored state: the last token handed out, and the holder or null when free. */
  private record State(long lastToken, LockGrant holderOrNull) {}

  /**
   * @throws dev.shunt.StoreException if every user may write {@code directory}; a directory owned
   *     by another user than root and this process's is logged as a warning
   */
  public FlagFileDeployLock(Path directory, Clock clock) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.clock = Objects.requireNonNull(clock, "clock");
    StoreFiles.checkStoreDirectory(directory).ifPresent(warning -> LOG.log(System.Logger.Level.WARNING, warning));
  }

  @Override
  public Optional<LockGrant> tryAcquire(String service, String owner, String reason, Duration lease) {
    InstanceKeyRules.requireServiceName(service);
    DeployLockRules.requireOwner(owner);
    Objects.requireNonNull(reason, "reason");
    return change(service, "acquire", state -> {
      Instant now = clock.instant();
      if (held(state, now) != null) {
        return null;
      }
      return new State(state.lastToken() + 1,
          new LockGrant(service, owner, reason, state.lastToken() + 1, DeployLockRules.leaseEnd(now, lease)));
    }).map(State::holderOrNull);
  }

  @Override
  public boolean renew(LockGrant grant, Duration lease) {
    Objects.requireNonNull(grant, "grant");
    return change(grant.service(), "renew", state -> {
      Instant now = clock.instant();
      return holds(state, grant, now)
          ? new State(state.lastToken(), new LockGrant(grant.service(), grant.owner(), grant.reason(), grant.token(),
              DeployLockRules.leaseEnd(now, lease)))
          : null;
    }).isPresent();
  }

  @Override
  public boolean release(LockGrant grant) {
    Objects.requireNonNull(grant, "grant");
    return change(grant.service(), "release",
        state -> holds(state, grant, clock.instant()) ? new State(state.lastToken(), null) : null).isPresent();
  }

  @Override
  public Optional<LockGrant> forceRelease(String service, String owner) {
    InstanceKeyRules.requireServiceName(service);
    DeployLockRules.requireOwner(owner);
    AtomicReference<LockGrant> released = new AtomicReference<>();
    change(service, "force-release", state -> {
      LockGrant holder = held(state, clock.instant());
      if (holder == null || !holder.owner().equals(owner)) {
        return null;
      }
      released.set(holder);
      return new State(state.lastToken(), null);
    });
    return Optional.ofNullable(released.get());
  }

  @Override
  public Optional<LockGrant> holder(String service) {
    InstanceKeyRules.requireServiceName(service);
    return Optional.ofNullable(held(read(file(service)), clock.instant()));
  }

  private static LockGrant held(State state, Instant now) {
    LockGrant holder = state.holderOrNull();
    return holder != null && now.isBefore(holder.expiresAt()) ? holder : null;
  }

  private static boolean holds(State state, LockGrant grant, Instant now) {
    LockGrant holder = held(state, now);
    return holder != null && holder.token() == grant.token() && holder.owner().equals(grant.owner());
  }

  /** Applies {@code decide} under the guard; writes and returns its state unless it returns null. */
  private Optional<State> change(String service, String what, Function<State, State> decide) {
    Path file = file(service);
    return FileLocks.holding(directory, file.resolveSibling(GUARD_FILE), what + " the deploy lock of " + service, () -> {
      State next = decide.apply(read(file));
      if (next != null) {
        write(file, next);
      }
      return Optional.ofNullable(next);
    });
  }

  private Path file(String service) {
    return directory.resolve(InstanceKeyRules.requireServiceName(service)).resolve(LOCK_FILE);
  }

  private State read(Path file) {
    Properties fields = new Properties();
    try {
      StoreFiles.requireDirectoryOrMissing(directory, file.getParent());
      fields.load(new StringReader(StoreFiles.read(file, StoreFiles.MAX_FLAG_BYTES)));
    } catch (NoSuchFileException e) {
      return new State(0, null);
    } catch (IOException | IllegalArgumentException e) {
      throw new StoreException("cannot read the deploy lock " + file + ": " + e.getMessage(), e, false);
    }
    try {
      long lastToken = Long.parseLong(fields.getProperty("lastToken", "0").strip());
      String owner = fields.getProperty("owner", "");
      if (owner.isEmpty()) {
        return new State(lastToken, null);
      }
      String service = file.getParent().getFileName().toString();
      return new State(lastToken, new LockGrant(service, owner, fields.getProperty("reason", ""), lastToken,
          Instant.parse(fields.getProperty("expiresAt", "").strip())));
    } catch (RuntimeException e) {
      // A lock nobody can read must not be taken over silently: a deploy may hold it.
      throw new StoreException("the deploy lock " + file + " is malformed (" + e.getMessage()
          + "); remove it only if no deploy of the service is running", e, false);
    }
  }

  private void write(Path file, State state) {
    Properties fields = new Properties();
    fields.setProperty("lastToken", Long.toString(state.lastToken()));
    LockGrant holder = state.holderOrNull();
    fields.setProperty("owner", holder == null ? "" : holder.owner());
    fields.setProperty("reason", holder == null ? "" : holder.reason());
    fields.setProperty("expiresAt", holder == null ? "" : holder.expiresAt().toString());
    StoreFiles.writeAtomically(directory, file, "deploy lock: one deploy of this service at a time; lastToken only grows",
        fields);
  }
}
