package dev.shunt.internal;

import dev.shunt.CheckerReport;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntException;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.StatusStore;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link StatusStore#flagFiles(Path)}: {@code <dir>/<service>/<host>.shunt} is the flag,
 * {@code <dir>/<service>/<host>.checks} the checker reports. Thread-safe; safe across processes
 * for the flag (every write is a rename of a complete file). Reads are served from a cache that
 * is checked against the file's identity, size and modification time on every read, so a check
 * costs one {@code stat} while nothing changes.
 */
public final class FlagFileStatusStore implements StatusStore {
  private static final System.Logger LOG = System.getLogger(FlagFileStatusStore.class.getName());
  private static final String FLAG = ".shunt";
  private static final String CHECKS = ".checks";

  private final Path directory;
  private final Clock clock;
  private final Map<Path, Cached> cache = new ConcurrentHashMap<>();
  private final Map<Path, String> lastProblem = new ConcurrentHashMap<>();
  private final Object reportLock = new Object();

  /** A parsed flag and the file attributes it was parsed from. */
  private record Cached(Object fileKey, long size, Instant modified, ShuntStatus status) {
    boolean matches(BasicFileAttributes attributes) {
      return Objects.equals(fileKey, attributes.fileKey())
          && size == attributes.size()
          && modified.equals(attributes.lastModifiedTime().toInstant());
    }
  }

  public FlagFileStatusStore(Path directory, Clock clock) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public ShuntStatus status(InstanceKey key) {
    ShuntStatus stored = read(flag(key));
    return stored.isShuntedAt(clock.instant()) ? stored : ShuntStatus.inRotation();
  }

  /** The stored status, expired or not; in rotation when the flag is missing or unreadable. */
  private ShuntStatus read(Path flag) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(flag, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      cache.remove(flag);
      lastProblem.remove(flag);
      return ShuntStatus.inRotation();
    } catch (IOException e) {
      return unreadable(flag, e);
    }
    Cached cached = cache.get(flag);
    if (cached != null && cached.matches(attributes)) {
      return cached.status();
    }
    String content;
    try {
      // Decoded leniently: a flag an operator wrote in another encoding is still a flag.
      content = new String(Files.readAllBytes(flag), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      cache.remove(flag);
      return ShuntStatus.inRotation();
    } catch (IOException e) {
      return unreadable(flag, e);
    }
    ShuntStatus status = parse(flag, content, attributes.lastModifiedTime().toInstant());
    cache.put(flag, new Cached(attributes.fileKey(), attributes.size(),
        attributes.lastModifiedTime().toInstant(), status));
    lastProblem.remove(flag);
    return status;
  }

  private ShuntStatus unreadable(Path flag, IOException e) {
    problem(flag, "cannot read shunt flag " + flag + ", answering 'in rotation': " + e);
    return ShuntStatus.inRotation();
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
    Instant since = instant(flag, fields, "since", modified);
    Instant expires = instant(flag, fields, "expires", null);
    return new ShuntStatus(true, fields.getProperty("reason", ""), fields.getProperty("owner", ""),
        since, expires);
  }

  private Instant instant(Path flag, Properties fields, String name, Instant fallback) {
    String value = fields.getProperty(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      problem(flag, "shunt flag " + flag + " has a malformed '" + name + "' (" + value + "), ignoring it");
      return fallback;
    }
  }

  /** Logs a problem with a file once, not on every health check that meets it. */
  private void problem(Path file, String message) {
    if (!message.equals(lastProblem.put(file, message))) {
      LOG.log(Level.WARNING, message);
    }
  }

  @Override
  public ShuntStatus shunt(InstanceKey key, ShuntRequest request) {
    Objects.requireNonNull(request, "request");
    Path flag = flag(key);
    synchronized (reportLock) {
      ShuntStatus current = status(key);
      boolean renewal = current.shunted();
      Instant now = clock.instant();
      ShuntStatus next = renewal ? current.renewedBy(request, now) : ShuntStatus.shunted(request, now);
      Properties fields = new Properties();
      fields.setProperty("reason", next.reason());
      fields.setProperty("owner", next.owner());
      fields.setProperty("since", next.since().toString());
      next.expiry().ifPresent(expiry -> fields.setProperty("expires", expiry.toString()));
      if (!renewal) {
        delete(checks(key));
      }
      writeAtomically(flag, "shunt flag: " + key + " is out of rotation while this file exists", fields);
      return next;
    }
  }

  @Override
  public void unshunt(InstanceKey key) {
    synchronized (reportLock) {
      if (Files.exists(flag(key))) {
        delete(flag(key));
        delete(checks(key));
      }
    }
  }

  @Override
  public Map<InstanceKey, ShuntStatus> shunted(String service) {
    InstanceKey.requireServiceName(service);
    Path serviceDir = directory.resolve(service);
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
      throw new ShuntException("cannot list shunt flags in " + serviceDir, e);
    }
    return Map.copyOf(result);
  }

  @Override
  public void report(InstanceKey key, CheckerReport report) {
    Objects.requireNonNull(report, "report");
    synchronized (reportLock) {
      Map<String, CheckerReport> reports = readReports(key);
      reports.put(report.checker(), report);
      Properties fields = new Properties();
      reports.values().forEach(r -> fields.setProperty(r.checker(),
          (r.nacked() ? "down " : "up ") + r.consecutive() + " " + r.at() + " " + r.inFlight()));
      writeAtomically(checks(key), "health checks answered for " + key, fields);
    }
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
      fields.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (NoSuchFileException e) {
      return reports;
    } catch (IOException | IllegalArgumentException e) {
      problem(file, "cannot read checker reports " + file + ", ignoring them: " + e);
      return reports;
    }
    for (String checker : fields.stringPropertyNames()) {
      String[] parts = fields.getProperty(checker).trim().split(" ");
      try {
        int inFlight = parts.length > 3 ? Integer.parseInt(parts[3]) : CheckerReport.IN_FLIGHT_UNKNOWN;
        reports.put(checker, new CheckerReport(checker, parts[0].equals("down"),
            Integer.parseInt(parts[1]), Instant.parse(parts[2]), inFlight));
      } catch (RuntimeException e) {
        problem(file, "malformed checker report in " + file + " for " + checker + ", ignoring it: " + e);
      }
    }
    return reports;
  }

  private Path flag(InstanceKey key) {
    return directory.resolve(key.service()).resolve(key.host() + FLAG);
  }

  private Path checks(InstanceKey key) {
    return directory.resolve(key.service()).resolve(key.host() + CHECKS);
  }

  private static void writeAtomically(Path file, String comment, Properties fields) {
    try {
      Files.createDirectories(file.getParent());
      StringWriter text = new StringWriter();
      fields.store(text, comment);
      Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      try {
        Files.writeString(temp, text.toString(), StandardCharsets.UTF_8);
        try {
          Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new ShuntException("cannot write " + file, e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new ShuntException("cannot delete " + file, e);
    }
  }
}
