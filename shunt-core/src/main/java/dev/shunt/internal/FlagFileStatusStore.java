package dev.shunt.internal;

import dev.shunt.BudgetExceededException;
import dev.shunt.CheckerReport;
import dev.shunt.DisruptionBudget;
import dev.shunt.InstanceKey;
import dev.shunt.JournalEntry;
import dev.shunt.MaintenanceFlag;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.StatusStore;
import dev.shunt.StoreException;
import java.io.IOException;
import java.io.StringReader;
import java.lang.System.Logger.Level;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link StatusStore#flagFiles(Path)}: {@code <dir>/<service>/<host>.shunt} is the flag,
 * {@code <dir>/<service>/<host>.checks} the checker reports, {@code <dir>/<service>/maintenance.txt}
 * the service's maintenance flag. Thread-safe; safe across processes for the flags (every write
 * is a rename of a complete file). Flags are read from a cache that is checked against the file's
 * identity, size and modification time on every read, so a check or request costs two
 * {@code lstat}s (the service directory, which must be no link, and the flag) while nothing changes.
 *
 * <p>Made for a store shared by a deploy user (often root) and an app running as its own user,
 * who share a group (see "Flag files" in {@code docs/HEALTH.md}): directories it creates are
 * {@code 2770} (setgid: files get the directory's group), files {@code 0640} (the journal {@code 0600}), lock files
 * {@code 0660}, whatever the umask. It follows no link below the store directory, reads only
 * regular files and at most 64 KiB of each (the journal 8 MiB), creates lock and journal files
 * exclusively or opens them without following links, and refuses a service directory that is a
 * link ({@link StoreException}). A store directory every user may write is refused at
 * construction; one owned by another user than root and this process's is logged as a warning.
 * A shunt flag it cannot read (permission denied, not a regular file, larger than 64 KiB, in a
 * linked service directory) makes {@link #status} and {@link #shuntedInstances} throw a
 * {@link StoreException} naming the file, the reason and the fix: it may be a shunt, so it is never
 * read as "in rotation". A maintenance flag it cannot read counts as absent and is logged at
 * {@code WARNING} at most once a minute.
 */
public final class FlagFileStatusStore implements StatusStore {
  private static final System.Logger LOG = System.getLogger(FlagFileStatusStore.class.getName());
  private static final String FLAG = ".shunt";
  private static final String CHECKS = ".checks";
  /** The last word of a report line of a checker that applies answers at once (an agent check). */
  private static final String AT_ONCE = "at-once";
  /** Begins the rest of a report line, the responder's {@link CheckerReport#storeProblem()}, when it has one. */
  private static final String STORE_PROBLEM = " store-problem: ";
  private static final String MAINTENANCE = "maintenance.txt";
  private static final String HOST = ".host";
  private static final String BUDGET = "budget.txt";
  private static final String JOURNAL = "rollout.journal";
  private static final String LOCK = ".budget.lock";
  private static final String ALLOWED_PATH = "allowedPath.";
  private static final String ALLOWED_CLIENT = "allowedClient.";
  private static final Set<String> MAINTENANCE_FIELDS = Set.of("reason", "owner", "since", "until");

  private final Path directory;
  private final Clock clock;
  private final Map<Path, String> lastProblem = new ConcurrentHashMap<>();
  private final FlagFiles<ShuntStatus> shuntFlags =
      new FlagFiles<>("shunt flag", null, null, ShuntStatus.inRotation(), this::parse);
  private final FlagFiles<Optional<MaintenanceFlag>> maintenanceFlags =
      new FlagFiles<>("maintenance flag", "reading maintenance as off",
          "requests are served as usual", Optional.empty(), this::parseMaintenance);
  private final Object reportLock = new Object();
  private final ThrottledWarning unreadable;

  /** A parsed flag and the file attributes it was parsed from. */
  private record Cached<T>(Object fileKey, long size, Instant modified, T value) {
    boolean matches(BasicFileAttributes attributes) {
      return Objects.equals(fileKey, attributes.fileKey())
          && size == attributes.size()
          && modified.equals(attributes.lastModifiedTime().toInstant());
    }
  }

  /** Turns a flag file's content into what it means. */
  @FunctionalInterface
  private interface FlagParser<T> {
    T parse(Path file, String content, Instant modified);
  }

  /**
   * Flag files of one kind, each parsed once per version: a read costs two {@code lstat}s while
   * the file is unchanged, and a malformed file is reported once, not on every read.
   */
  private final class FlagFiles<T> {
    private final String kind;
    private final String absentMeaning;
    private final String consequence;
    private final T absent;
    private final FlagParser<T> parser;
    private final Map<Path, Cached<T>> cache = new ConcurrentHashMap<>();

    /**
     * @param kind what the files are, for the log: {@code shunt flag}
     * @param absentMeaning what an unreadable file counts as, for the log; null when an
     *     unreadable file is thrown as a {@link StoreException} rather than counted as absent
     * @param consequence what an unreadable file leads to, for the log
     * @param absent the value of a missing (or, with {@code absentMeaning}, unreadable) file
     */
    FlagFiles(String kind, String absentMeaning, String consequence, T absent, FlagParser<T> parser) {
      this.kind = kind;
      this.absentMeaning = absentMeaning;
      this.consequence = consequence;
      this.absent = absent;
      this.parser = parser;
    }

    /**
     * What {@code file} says; {@code absent} when it is missing.
     *
     * @throws StoreException when it cannot be read and no {@code absentMeaning} was given
     */
    T read(Path file) {
      BasicFileAttributes attributes;
      try {
        StoreFiles.requireDirectoryOrMissing(directory, file.getParent());
        attributes = StoreFiles.requireRegular(file, StoreFiles.MAX_FLAG_BYTES);
      } catch (NoSuchFileException e) {
        cache.remove(file);
        lastProblem.remove(file);
        return absent;
      } catch (IOException | StoreException e) {
        return unreadable(file, e);
      }
      Cached<T> cached = cache.get(file);
      if (cached != null && cached.matches(attributes)) {
        return cached.value();
      }
      String content;
      try {
        // Decoded leniently: a flag an operator wrote in another encoding is still a flag.
        content = StoreFiles.read(file, StoreFiles.MAX_FLAG_BYTES);
      } catch (NoSuchFileException e) {
        cache.remove(file);
        return absent;
      } catch (IOException e) {
        return unreadable(file, e);
      }
      Instant modified = attributes.lastModifiedTime().toInstant();
      T value = parser.parse(file, content, modified);
      cache.put(file, new Cached<>(attributes.fileKey(), attributes.size(), modified, value));
      lastProblem.remove(file);
      return value;
    }

    /**
     * Throws, or says so loudly though at most once a minute: a flag this process cannot read,
     * e.g. one written by root for an app running as another user, may be set.
     */
    private T unreadable(Path file, Exception e) {
      cache.remove(file);
      if (absentMeaning == null) {
        throw new StoreException(ProblemLog.printable("cannot read " + kind + " " + file + ": " + reason(e)
            + "; it may be set. Let this process read the store: a user in the store's group, the service directory"
            + " 2770 (setgid) and its files 0640, regular files only (see 'Flag files' in docs/HEALTH.md)"), e, false);
      }
      unreadable.warn("cannot read " + kind + " " + file + ", " + absentMeaning + " although it may be set ("
          + reason(e) + "): " + consequence + "; let this process read the store (see 'Flag files' in docs/HEALTH.md)");
      return absent;
    }
  }

  /** Why a file could not be read, in words: {@code permission denied}, {@code is not a regular file but a FIFO}. */
  private static String reason(Exception e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e instanceof StoreException ? e.getMessage() : e.toString();
  }

  /**
   * @throws StoreException if every user may write {@code directory}; a directory owned by
   *     another user than root and this process's is logged as a warning
   */
  public FlagFileStatusStore(Path directory, Clock clock) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.unreadable = new ThrottledWarning(LOG, Duration.ofMinutes(1), clock::instant);
    StoreFiles.checkStoreDirectory(directory).ifPresent(warning -> LOG.log(Level.WARNING, warning));
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreException when the flag exists but cannot be read (permissions, not a regular
   *     file, too large) or the service directory is a link: it may be a shunt
   */
  @Override
  public ShuntStatus status(InstanceKey key) {
    ShuntStatus stored = shuntFlags.read(flag(key));
    return stored.isShuntedAt(clock.instant()) ? stored : ShuntStatus.inRotation();
  }

  /**
   * A flag's content. The file's existence is the shunt; a field that cannot be parsed is
   * reported and left out rather than undoing what the operator who made the file meant.
   */
  private ShuntStatus parse(Path flag, String content, Instant modified) {
    Properties fields = new Properties();
    try {
      fields.load(new StringReader(content));
    } catch (IOException | IllegalArgumentException e) {
      problem(flag, "shunt flag " + flag + " is malformed, treating it as a shunt with no details: " + e);
      return new ShuntStatus(true, "", "", modified, null);
    }
    Instant since = instant("shunt flag", flag, fields, "since", modified);
    Instant expires = instant("shunt flag", flag, fields, "expires", null);
    return new ShuntStatus(true, fields.getProperty("reason", ""), fields.getProperty("owner", ""),
        since, expires);
  }

  private Instant instant(String kind, Path flag, Properties fields, String name, Instant fallback) {
    String value = fields.getProperty(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      problem(flag, kind + " " + flag + " has a malformed '" + name + "' (" + value + "), ignoring it");
      return fallback;
    }
  }

  /**
   * Logs a problem with a file once, not on every health check that meets it, with the file's
   * control characters escaped ({@link ProblemLog#printable}).
   */
  private void problem(Path file, String message) {
    String line = ProblemLog.printable(message);
    if (!line.equals(lastProblem.put(file, line))) {
      LOG.log(Level.WARNING, line);
    }
  }

  @Override
  public ShuntStatus shunt(InstanceKey key, ShuntRequest request) {
    Objects.requireNonNull(request, "request");
    synchronized (reportLock) {
      if (currentShunt(key).shunted()) {
        return write(key, request);
      }
      Optional<DisruptionBudget> budget = budget(key.service());
      if (budget.isEmpty()) {
        register(key);
        return write(key, request);
      }
      return FileLocks.holding(directory, serviceFile(key.service(), LOCK), "check the disruption budget of " + key.service(), () -> {
        register(key);
        Set<String> out = new TreeSet<>();
        shuntedInstances(key.service()).keySet().forEach(shunted -> out.add(shunted.host()));
        int known = hosts(key.service()).size();
        if (!out.contains(key.host()) && out.size() >= budget.get().allowed(known)) {
          throw new BudgetExceededException(key, budget.get(), known, out);
        }
        return write(key, request);
      });
    }
  }

  /**
   * The shunt a new one renews, if any: a flag that cannot be read (a link, a FIFO, no
   * permission) is replaced by a new shunt, as the write replaces the file itself, never what it
   * points to.
   */
  private ShuntStatus currentShunt(InstanceKey key) {
    try {
      return status(key);
    } catch (StoreException e) {
      return ShuntStatus.inRotation();
    }
  }

  /** Writes the shunt of {@code key}: new, or renewed if it is shunted. Called under {@code reportLock}. */
  private ShuntStatus write(InstanceKey key, ShuntRequest request) {
    ShuntStatus current = currentShunt(key);
    boolean renewal = current.shunted();
    Instant now = clock.instant();
    ShuntStatus next = renewal ? current.renewedBy(request, now) : ShuntStatus.of(request, now);
    Properties fields = new Properties();
    fields.setProperty("reason", next.reason());
    fields.setProperty("owner", next.owner());
    fields.setProperty("since", next.since().toString());
    next.expiry().ifPresent(expiry -> fields.setProperty("expires", expiry.toString()));
    if (!renewal) {
      delete(checks(key));
    }
    writeAtomically(flag(key), "shunt flag: " + key + " is out of rotation while this file exists", fields);
    return next;
  }

  @Override
  public void unshunt(InstanceKey key) {
    synchronized (reportLock) {
      if (Files.exists(flag(key), LinkOption.NOFOLLOW_LINKS)) {
        delete(flag(key));
        delete(checks(key));
      }
    }
  }

  @Override
  public Map<InstanceKey, ShuntStatus> shuntedInstances(String service) {
    InstanceKeyRules.requireServiceName(service);
    Path serviceDir = directory.resolve(service);
    StoreFiles.requireDirectoryOrMissing(directory, serviceDir);
    Map<InstanceKey, ShuntStatus> result = new LinkedHashMap<>();
    try (DirectoryStream<Path> flags = Files.newDirectoryStream(serviceDir, "*" + FLAG)) {
      for (Path flag : flags) {
        String name = flag.getFileName().toString();
        InstanceKey key;
        try {
          key = InstanceKey.of(service, name.substring(0, name.length() - FLAG.length()));
        } catch (IllegalArgumentException e) {
          problem(flag, "ignoring " + flag + ": its name is no host (" + e.getMessage() + ")");
          continue;
        }
        ShuntStatus status = status(key);
        if (status.shunted()) {
          result.put(key, status);
        }
      }
    } catch (NoSuchFileException e) {
      return Map.of();
    } catch (IOException e) {
      throw new StoreException("cannot list shunt flags in " + serviceDir + ": " + e, e, false);
    }
    return Map.copyOf(result);
  }

  @Override
  public void report(InstanceKey key, CheckerReport report) {
    Objects.requireNonNull(report, "report");
    synchronized (reportLock) {
      Map<String, CheckerReport> reports = readReports(key);
      reports.put(report.checker(), report);
      writeReports(key, reports);
    }
  }

  @Override
  public void removeReport(InstanceKey key, String checker) {
    Objects.requireNonNull(checker, "checker");
    synchronized (reportLock) {
      Map<String, CheckerReport> reports = readReports(key);
      if (reports.remove(checker) != null) {
        writeReports(key, reports);
      }
    }
  }

  /** Replaces {@code key}'s checks file. Called under {@code reportLock}. */
  private void writeReports(InstanceKey key, Map<String, CheckerReport> reports) {
    Properties fields = new Properties();
    reports.values().forEach(r -> fields.setProperty(r.checker(), (r.nacked() ? "down " : "up ")
        + r.consecutive() + " " + r.at() + " " + r.inFlight() + (r.appliesAtOnce() ? " " + AT_ONCE : "")
        + (r.storeUnreadable() ? STORE_PROBLEM + r.storeProblem() : "")));
    writeAtomically(checks(key), "health checks answered for " + key, fields);
  }

  @Override
  public List<CheckerReport> reports(InstanceKey key) {
    return new ArrayList<>(readReports(key).values());
  }

  private Map<String, CheckerReport> readReports(InstanceKey key) {
    Path file = checks(key);
    Map<String, CheckerReport> reports = new LinkedHashMap<>();
    Properties fields = new Properties();
    try {
      StoreFiles.requireDirectoryOrMissing(directory, file.getParent());
      fields.load(new StringReader(StoreFiles.read(file, StoreFiles.MAX_FLAG_BYTES)));
    } catch (NoSuchFileException e) {
      return reports;
    } catch (IOException | IllegalArgumentException | StoreException e) {
      problem(file, "cannot read checker reports " + file + ", ignoring them: " + e);
      return reports;
    }
    for (String checker : fields.stringPropertyNames()) {
      String line = fields.getProperty(checker).trim();
      int problemAt = line.indexOf(STORE_PROBLEM);
      String storeProblem = problemAt < 0 ? "" : line.substring(problemAt + STORE_PROBLEM.length());
      String[] parts = (problemAt < 0 ? line : line.substring(0, problemAt)).split(" ");
      try {
        // Files written before a field was added lack it: no in-flight count, not applied at once, no problem.
        int inFlight = parts.length > 3 ? Integer.parseInt(parts[3]) : CheckerReportRules.IN_FLIGHT_UNKNOWN;
        boolean atOnce = parts.length > 4 && parts[4].equals(AT_ONCE);
        reports.put(checker, new CheckerReport(checker, parts[0].equals("down"),
            Integer.parseInt(parts[1]), Instant.parse(parts[2]), inFlight, atOnce, storeProblem));
      } catch (RuntimeException e) {
        problem(file, "malformed checker report in " + file + " for " + checker + ", ignoring it: " + e);
      }
    }
    return reports;
  }

  @Override
  public Optional<MaintenanceFlag> maintenance(String service) {
    return maintenanceFlags.read(maintenanceFile(service)).filter(flag -> flag.isOnAt(clock.instant()));
  }

  @Override
  public void startMaintenance(String service, MaintenanceFlag flag) {
    Objects.requireNonNull(flag, "flag");
    Properties fields = new Properties();
    fields.setProperty("reason", flag.reason());
    fields.setProperty("owner", flag.owner());
    fields.setProperty("since", flag.since().toString());
    flag.end().ifPresent(until -> fields.setProperty("until", until.toString()));
    for (int i = 0; i < flag.allowedPaths().size(); i++) {
      fields.setProperty(ALLOWED_PATH + (i + 1), flag.allowedPaths().get(i));
    }
    for (int i = 0; i < flag.allowedClients().size(); i++) {
      fields.setProperty(ALLOWED_CLIENT + (i + 1), flag.allowedClients().get(i));
    }
    writeAtomically(maintenanceFile(service),
        "maintenance flag: " + service + " answers requests with its maintenance page while this file exists", fields);
  }

  @Override
  public void endMaintenance(String service) {
    delete(maintenanceFile(service));
  }

  @Override
  public void setBudget(String service, DisruptionBudget budget) {
    Objects.requireNonNull(budget, "budget");
    Properties fields = new Properties();
    fields.setProperty("maxUnavailable", budget.toString());
    writeAtomically(serviceFile(service, BUDGET),
        "disruption budget of " + service + ": at most this many (or this percentage of its known hosts) out at once",
        fields);
  }

  @Override
  public Optional<DisruptionBudget> budget(String service) {
    Path file = serviceFile(service, BUDGET);
    Properties fields = new Properties();
    try {
      StoreFiles.requireDirectoryOrMissing(directory, file.getParent());
      fields.load(new StringReader(StoreFiles.read(file, StoreFiles.MAX_FLAG_BYTES)));
      return Optional.of(DisruptionBudget.parse(fields.getProperty("maxUnavailable")));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      // Refusing every shunt is safer than shunting without the budget someone set.
      throw new StoreException("cannot read the disruption budget " + file
          + " (expected a line 'maxUnavailable=2' or 'maxUnavailable=25%'): " + e.getMessage(), e, false);
    }
  }

  @Override
  public void clearBudget(String service) {
    delete(serviceFile(service, BUDGET));
  }

  @Override
  public void register(InstanceKey key) {
    Path file = directory.resolve(key.service()).resolve(key.host() + HOST);
    StoreFiles.ensureDirectory(directory, file.getParent());
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      StoreFiles.createEmpty(file);
    } catch (FileAlreadyExistsException e) {
      // Registered meanwhile by someone else: what we wanted.
    } catch (IOException e) {
      throw new StoreException("cannot register " + key + " in " + file + ": " + e, e, false);
    }
  }

  @Override
  public void forget(InstanceKey key) {
    delete(directory.resolve(key.service()).resolve(key.host() + HOST));
  }

  @Override
  public Set<String> hosts(String service) {
    Path serviceDir = directory.resolve(InstanceKeyRules.requireServiceName(service));
    StoreFiles.requireDirectoryOrMissing(directory, serviceDir);
    Set<String> hosts = new TreeSet<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(serviceDir, "*" + HOST)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String host = name.substring(0, name.length() - HOST.length());
        try {
          hosts.add(InstanceKeyRules.requireHostName(host));
        } catch (IllegalArgumentException e) {
          problem(file, "ignoring " + file + ": its name is no host (" + e.getMessage() + ")");
        }
      }
    } catch (NoSuchFileException e) {
      return Set.of();
    } catch (IOException e) {
      throw new StoreException("cannot list known hosts in " + serviceDir + ": " + e, e, false);
    }
    return Set.copyOf(hosts);
  }

  /**
   * Appends a line: a journal is appended to, never rewritten, so a crash mid-write loses at most
   * the line being written, and the lines of several writers interleave whole (each is one
   * {@code write} on a file opened for appending).
   */
  @Override
  public void writeJournal(String service, JournalEntry entry) {
    Objects.requireNonNull(entry, "entry");
    Path file = serviceFile(service, JOURNAL);
    String line = String.join("\t", entry.rolloutId(), entry.host(), entry.state().name(), entry.at().toString(),
        entry.detail()) + "\n";
    StoreFiles.ensureDirectory(directory, file.getParent());
    try {
      StoreFiles.append(file, line);
    } catch (IOException e) {
      throw new StoreException("cannot write to the rollout journal " + file + ": " + e, e, false);
    }
  }

  @Override
  public List<JournalEntry> journal(String service) {
    Path file = serviceFile(service, JOURNAL);
    List<String> lines;
    try {
      StoreFiles.requireDirectoryOrMissing(directory, file.getParent());
      lines = StoreFiles.read(file, StoreFiles.MAX_JOURNAL_BYTES).lines().toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new StoreException("cannot read the rollout journal " + file + ": " + e, e, false);
    }
    Map<String, JournalEntry> latest = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String[] fields = lines.get(i).split("\t", 5);
      try {
        JournalEntry entry = new JournalEntry(fields[0], fields[1], JournalEntry.State.valueOf(fields[2]),
            Instant.parse(fields[3]), fields.length > 4 ? fields[4] : "");
        latest.put(entry.host(), entry);
      } catch (RuntimeException e) {
        problem(file, "rollout journal " + file + " has a malformed line " + (i + 1) + ", ignoring it: " + e);
      }
    }
    return List.copyOf(latest.values());
  }

  @Override
  public void clearJournal(String service) {
    delete(serviceFile(service, JOURNAL));
  }

  private Path serviceFile(String service, String name) {
    return directory.resolve(InstanceKeyRules.requireServiceName(service)).resolve(name);
  }

  /**
   * A maintenance flag's content. As with a shunt flag, the file's existence is maintenance: a
   * malformed entry is reported and left out, and maintenance stays on.
   */
  private Optional<MaintenanceFlag> parseMaintenance(Path file, String content, Instant modified) {
    Properties fields = new Properties();
    try {
      fields.load(new StringReader(content));
    } catch (IOException | IllegalArgumentException e) {
      problem(file, "maintenance flag " + file + " is malformed, treating it as maintenance with no details: " + e);
      return Optional.of(MaintenanceFlag.of("", "", modified));
    }
    for (String name : new TreeSet<>(fields.stringPropertyNames())) {
      if (!MAINTENANCE_FIELDS.contains(name) && !isIndexed(name, ALLOWED_PATH) && !isIndexed(name, ALLOWED_CLIENT)) {
        problem(file, "maintenance flag " + file + " has an unknown entry '" + name + "', ignoring it");
      }
    }
    return Optional.of(MaintenanceFlagRules.lenient(
        fields.getProperty("reason", ""),
        fields.getProperty("owner", ""),
        instant("maintenance flag", file, fields, "since", modified),
        instant("maintenance flag", file, fields, "until", null),
        indexed(fields, ALLOWED_PATH),
        indexed(fields, ALLOWED_CLIENT),
        problem -> problem(file, "maintenance flag " + file + ": " + problem)));
  }

  private static boolean isIndexed(String name, String prefix) {
    return name.startsWith(prefix) && name.length() > prefix.length();
  }

  /** The values of {@code prefix1}, {@code prefix2}…: numbered ones in numeric order, then any others by name. */
  private static List<String> indexed(Properties fields, String prefix) {
    Comparator<String> byIndex = Comparator.comparingLong(name -> {
      String index = name.substring(prefix.length());
      return index.matches("[0-9]{1,18}") ? Long.parseLong(index) : Long.MAX_VALUE;
    });
    return fields.stringPropertyNames().stream()
        .filter(name -> isIndexed(name, prefix))
        .sorted(byIndex.thenComparing(Comparator.naturalOrder()))
        .map(fields::getProperty)
        .toList();
  }

  private Path maintenanceFile(String service) {
    return directory.resolve(InstanceKeyRules.requireServiceName(service)).resolve(MAINTENANCE);
  }

  private Path flag(InstanceKey key) {
    return directory.resolve(key.service()).resolve(key.host() + FLAG);
  }

  private Path checks(InstanceKey key) {
    return directory.resolve(key.service()).resolve(key.host() + CHECKS);
  }

  private void writeAtomically(Path file, String comment, Properties fields) {
    StoreFiles.writeAtomically(directory, file, comment, fields);
  }

  /** Deletes {@code file} (a link itself, not what it points to), never in a linked service directory. */
  private void delete(Path file) {
    StoreFiles.requireDirectoryOrMissing(directory, file.getParent());
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new StoreException("cannot delete " + file + ": " + e, e, false);
    }
  }
}
