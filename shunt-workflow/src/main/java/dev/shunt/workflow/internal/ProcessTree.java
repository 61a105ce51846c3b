package dev.shunt.workflow.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A local command and every process it starts, so that all of them can be ended together when
 * the command has to be stopped (a timeout, a cancel, an interrupt). A command that ends by
 * itself may leave processes running on purpose (a daemon it started); only {@link #kill()} ends
 * them.
 *
 * <p>How the command is started, and what {@link #kill()} ends, differ by system:
 * <ul>
 *   <li><b>Linux, with {@code /proc} and a {@code setsid} program</b> (util-linux, BusyBox): the
 *       command runs as the leader of a session and process group of its own ({@code setsid}
 *       calls {@code setsid(2)} and executes the command in place, so the process is the
 *       command's; checked once per JVM), with an environment variable unique to this start,
 *       {@code SHUNT_STEP_RUN_<id>=1}. {@link #kill()} sends SIGKILL to the process group at once
 *       (the kernel makes that atomic against {@code fork}: a child being forked is signalled
 *       too, or the fork fails), then, scanning {@code /proc} until a scan finds none, to every
 *       process in the command's session or group, every process whose environment holds the
 *       variable (a process that called {@code setsid} itself keeps it), and every child of one
 *       of those. What escapes: a process that both left the session and dropped the variable
 *       from its environment ({@code setsid env -i ...}) after its parent was killed; a process of
 *       another user (e.g. a command under {@code sudo}), which this user may not signal: it is
 *       reported; and what the command had another program start for it (e.g. a service that
 *       {@code systemctl} starts through systemd), which is not the command's to end.
 *   <li><b>Linux without {@code setsid}</b>: the command shares the JVM's process group, so there
 *       is no group to kill; the scans still end the command, its children and every process
 *       with the variable. A process that dropped the variable and whose parent died first
 *       escapes.
 *   <li><b>Other systems</b> (macOS, which has no {@code /proc}): the command and its
 *       {@linkplain ProcessHandle#descendants() descendants}, taken again until none is left; with
 *       a {@code setsid} program (util-linux from a package manager), also the process group at
 *       once. A process whose parent died before it was seen (a double fork) escapes, unless it
 *       is still in the command's process group.
 * </ul>
 *
 * <p>The group is signalled with the {@code kill} built into {@code /bin/sh}
 * ({@code kill -s KILL -- -PGID}): Java can signal single processes only, and one signal to the
 * group is the one thing a fork cannot race. Every other process is signalled on its own through
 * {@link ProcessHandle#destroyForcibly()}, which needs no new process (none may be left to start
 * when a command forks without end) and checks the process's start time, so a reused PID is not
 * hit. The session and group are used only while their leader's PID is the command's or free.
 *
 * <p>{@link #kill()} gives up after {@value #KILL_SECONDS} seconds. Safe to use from one thread
 * at a time.
 */
public final class ProcessTree {
  private static final int KILL_SECONDS = 5;
  private static final long PAUSE_MILLIS = 5;
  private static final String MARKER_PREFIX = "SHUNT_STEP_RUN_";
  private static final Path PROC = Path.of("/proc");
  private static final boolean LINUX_PROC =
      System.getProperty("os.name", "").startsWith("Linux") && Files.isReadable(PROC.resolve("self/stat"));

  private final Process process;
  private final ProcessHandle handle;
  private final boolean ownSession;
  private final byte[] marker;
  /** When the command started, in the clock ticks of {@code /proc/PID/stat}; 0 if unknown. */
  private final long startTicks;

  private ProcessTree(Process process, boolean ownSession, String markerName) {
    this.process = process;
    this.handle = process.toHandle();
    this.ownSession = ownSession;
    this.marker = (markerName + "=").getBytes(StandardCharsets.US_ASCII);
    Stat stat = LINUX_PROC ? Stat.read(PROC.resolve(Long.toString(process.pid()))) : null;
    this.startTicks = stat == null ? 0 : stat.startTicks;
  }

  /**
   * Starts {@code builder}'s command, in a session of its own where the system allows it. The
   * builder's environment gains the run's variable; its command is left as it was.
   *
   * @throws IOException if the command cannot be started, e.g. its program does not exist
   */
  public static ProcessTree start(ProcessBuilder builder) throws IOException {
    String markerName = MARKER_PREFIX + UUID.randomUUID().toString().replace("-", "");
    builder.environment().put(markerName, "1");
    Optional<String> setsid = Setsid.program();
    if (setsid.isEmpty()) {
      return new ProcessTree(builder.start(), false, markerName);
    }
    List<String> command = builder.command();
    // setsid would report a missing program only through its exit status, after the start.
    requireExecutable(command.get(0), builder);
    List<String> wrapped = new ArrayList<>(command.size() + 2);
    wrapped.add(setsid.get());
    wrapped.add("--");
    wrapped.addAll(command);
    try {
      return new ProcessTree(builder.command(wrapped).start(), true, markerName);
    } finally {
      builder.command(command);
    }
  }

  /** Whether commands get a session and process group of their own on this machine. */
  public static boolean ownSessions() {
    return Setsid.program().isPresent();
  }

  /** The command's process. */
  public Process process() {
    return process;
  }

  /**
   * Kills the command and every process it started (see the class description for what that
   * covers on this system), and returns once a look finds none alive, or after
   * {@value #KILL_SECONDS} seconds. An interrupt does not cut it short; the thread's interrupt
   * status is kept.
   *
   * @return the processes still alive at the end, each as {@code PID (program)}; empty when
   *     every one is gone
   */
  public List<String> kill() {
    boolean interrupted = Thread.interrupted();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(KILL_SECONDS);
    try {
      if (ownSession && leaderIsOurs()) {
        interrupted |= killGroup();
      }
      process.destroyForcibly();
      Map<Long, ProcessHandle> refused = new LinkedHashMap<>();
      Set<Long> strangers = new HashSet<>();
      while (true) {
        Map<Long, ProcessHandle> alive = LINUX_PROC ? scan(strangers) : descendantsAndSelf();
        refused.keySet().retainAll(alive.keySet());
        alive.keySet().removeAll(refused.keySet());
        if (alive.isEmpty() || System.nanoTime() - deadline > 0) {
          List<String> survivors = new ArrayList<>();
          refused.values().forEach(process -> survivors.add(describe(process)));
          alive.values().forEach(process -> survivors.add(describe(process)));
          return survivors;
        }
        for (ProcessHandle process : alive.values()) {
          if (!process.destroyForcibly() && process.isAlive()) {
            refused.put(process.pid(), process);
          }
        }
        try {
          Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether the session and group named by the command's PID are still the command's. */
  private boolean leaderIsOurs() {
    return ProcessHandle.of(handle.pid()).map(handle::equals).orElse(true);
  }

  /** Sends SIGKILL to the command's process group; returns whether the thread was interrupted meanwhile. */
  private boolean killGroup() {
    boolean interrupted = false;
    try {
      Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -s KILL -- \"$1\" 2>/dev/null", "shunt-kill",
          "-" + handle.pid()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      kill.getOutputStream().close();
      while (true) {
        try {
          if (!kill.waitFor(KILL_SECONDS, TimeUnit.SECONDS)) {
            kill.destroyForcibly();
          }
          return interrupted;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } catch (IOException e) {
      // No process can be started (e.g. the command filled the process table): the scans remain.
      return interrupted;
    }
  }

  /**
   * The live processes (not zombies) that belong to the command: in its session or group while
   * those are its own, carrying its variable, and the children of any of them. Skips the
   * {@code strangers} an earlier scan found, and adds this scan's: a process that is not the
   * command's cannot become one (it cannot join the session, gain the variable, or be adopted by
   * one of the command's processes), and its PID is not reused within the few seconds of a kill.
   */
  private Map<Long, ProcessHandle> scan(Set<Long> strangers) {
    long self = ProcessHandle.current().pid();
    long leader = handle.pid();
    boolean groupIsOurs = ownSession && leaderIsOurs();
    Map<Long, List<Long>> children = new HashMap<>();
    Set<Long> found = new HashSet<>();
    Set<Long> seen = new HashSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, entry -> isNumber(entry.getFileName().toString()))) {
      for (Path entry : entries) {
        if (strangers.contains(Long.parseLong(entry.getFileName().toString()))) {
          continue;
        }
        Stat stat = Stat.read(entry);
        if (stat == null || stat.pid == self) {
          continue;
        }
        seen.add(stat.pid);
        children.computeIfAbsent(stat.ppid, ppid -> new ArrayList<>()).add(stat.pid);
        if ((stat.pid == leader && leaderIsOurs())
            || (groupIsOurs && (stat.session == leader || stat.group == leader))
            || (stat.startTicks >= startTicks && carriesMarker(entry))) {
          found.add(stat.pid);
        }
      }
    } catch (IOException e) {
      // /proc unreadable now: fall back to what Java can see.
      return descendantsAndSelf();
    }
    List<Long> unvisited = new ArrayList<>(found);
    while (!unvisited.isEmpty()) {
      for (long child : children.getOrDefault(unvisited.remove(unvisited.size() - 1), List.of())) {
        if (child != self && found.add(child)) {
          unvisited.add(child);
        }
      }
    }
    seen.removeAll(found);
    strangers.addAll(seen);
    Map<Long, ProcessHandle> alive = new LinkedHashMap<>();
    for (long pid : found) {
      ProcessHandle.of(pid).ifPresent(process -> alive.put(pid, process));
    }
    return alive;
  }

  private Map<Long, ProcessHandle> descendantsAndSelf() {
    Map<Long, ProcessHandle> alive = new LinkedHashMap<>();
    handle.descendants().forEach(process -> alive.put(process.pid(), process));
    if (handle.isAlive()) {
      alive.put(handle.pid(), handle);
    }
    return alive;
  }

  private boolean carriesMarker(Path entry) {
    Path file = entry.resolve("environ");
    if (!Files.isReadable(file)) {
      return false; // another user's: checked first, as a failed read costs an exception
    }
    byte[] environment;
    try {
      environment = Files.readAllBytes(file);
    } catch (IOException | SecurityException e) {
      return false; // gone meanwhile
    }
    outer:
    for (int start = 0; start + marker.length <= environment.length; ) {
      for (int i = 0; i < marker.length; i++) {
        if (environment[start + i] != marker[i]) {
          int end = indexOf(environment, (byte) 0, start);
          if (end < 0) {
            break outer;
          }
          start = end + 1;
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static int indexOf(byte[] bytes, byte value, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == value) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isNumber(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static String describe(ProcessHandle process) {
    return process.pid() + " (" + process.info().command().orElse("?") + ")";
  }

  /**
   * Fails like {@link ProcessBuilder#start()} would when {@code program} cannot be executed: found
   * as the system's {@code execvp} finds it, on the command's {@code PATH} unless it holds a slash.
   */
  private static void requireExecutable(String program, ProcessBuilder builder) throws IOException {
    Path directory = builder.directory() == null ? Path.of("") : builder.directory().toPath();
    if (program.contains("/")) {
      if (!isExecutableFile(directory.resolve(program))) {
        throw new IOException("Cannot run program \"" + program + "\": no executable file there");
      }
      return;
    }
    String path = builder.environment().getOrDefault("PATH", "/bin:/usr/bin");
    for (String entry : path.split(File.pathSeparator, -1)) {
      if (isExecutableFile(directory.resolve(entry.isEmpty() ? "." : entry).resolve(program))) {
        return;
      }
    }
    throw new IOException("Cannot run program \"" + program + "\": not found on PATH " + path);
  }

  private static boolean isExecutableFile(Path file) {
    return Files.isRegularFile(file) && Files.isExecutable(file);
  }

  /**
   * What shunt reads of {@code /proc/PID/stat}: its fields are counted after the program name,
   * which may hold anything. {@code startTicks} is when it started, in clock ticks since boot.
   */
  private record Stat(long pid, long ppid, long group, long session, long startTicks) {
    static Stat read(Path entry) {
      String text;
      try {
        text = new String(Files.readAllBytes(entry.resolve("stat")), StandardCharsets.ISO_8859_1);
      } catch (IOException | SecurityException e) {
        return null; // gone meanwhile
      }
      int close = text.lastIndexOf(')');
      if (close < 0 || close + 2 >= text.length()) {
        return null;
      }
      String[] fields = text.substring(close + 2).split(" ", 21);
      if (fields.length < 21 || fields[0].isEmpty()) {
        return null;
      }
      char state = fields[0].charAt(0);
      if (state == 'Z' || state == 'X' || state == 'x') {
        return null; // dead, waiting to be reaped
      }
      try {
        return new Stat(Long.parseLong(entry.getFileName().toString()), Long.parseLong(fields[1]),
            Long.parseLong(fields[2]), Long.parseLong(fields[3]), Long.parseLong(fields[19]));
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  /**
   * The {@code setsid} program, if there is one that runs a command in place as a session leader:
   * tried with a shell that prints its own PID, once per JVM (again only if no process could be
   * started to try it, e.g. while the process table was full).
   */
  private static final class Setsid {
    private static Optional<String> program;

    static synchronized Optional<String> program() {
      if (program != null) {
        return program;
      }
      List<String> candidates = new ArrayList<>(List.of("/usr/bin/setsid", "/bin/setsid"));
      for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        if (!entry.isEmpty() && Path.of(entry).isAbsolute()) {
          candidates.add(Path.of(entry, "setsid").toString());
        }
      }
      for (String candidate : candidates) {
        if (isExecutableFile(Path.of(candidate))) {
          Boolean works = worksInPlace(candidate);
          if (works == null) {
            return Optional.empty();
          }
          if (works) {
            program = Optional.of(candidate);
            return program;
          }
        }
      }
      program = Optional.empty();
      return program;
    }

    /** Whether {@code setsid} runs a command in place; null if that could not be tried. */
    private static Boolean worksInPlace(String setsid) {
      Process probe;
      try {
        probe = new ProcessBuilder(setsid, "--", "/bin/sh", "-c", "echo $$").redirectErrorStream(true).start();
      } catch (IOException e) {
        return null;
      }
      boolean interrupted = false;
      try {
        probe.getOutputStream().close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // The answer holds for the JVM's life: an interrupt of the first caller must not decide it.
        while (true) {
          try {
            if (!probe.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
              probe.destroyForcibly();
              return false;
            }
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        try (InputStream output = probe.getInputStream()) {
          String printed = new String(output.readAllBytes(), StandardCharsets.US_ASCII).trim();
          return probe.exitValue() == 0 && printed.equals(Long.toString(probe.pid()));
        }
      } catch (IOException e) {
        return false;
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
