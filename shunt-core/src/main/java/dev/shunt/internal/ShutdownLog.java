package dev.shunt.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A logger for what runs in a JVM shutdown hook. java.util.logging resets itself in a shutdown
 * hook of its own ({@code LogManager}'s cleaner), which removes and closes every handler; hooks
 * run in no set order, so the lines of a drain that takes seconds would go nowhere. When
 * {@code System.Logger} is backed by java.util.logging (the application installed no {@code
 * System.LoggerFinder} of its own), {@link #capture()} remembers the handlers a line of this
 * logger would reach; a line logged after the reset goes to those handlers instead. A {@code
 * ConsoleHandler} still writes after its close, so console lines survive; a closed {@code
 * FileHandler} drops them. With any other logging backend the lines go through {@code
 * System.Logger} only, and that backend's own shutdown decides. {@link #captureAll()} captures
 * for every such logger at once, for a shutdown that is not a hook of shunt's own (Spring's
 * context close). Thread-safe.
 */
public final class ShutdownLog {
  private static final List<ShutdownLog> ALL = new CopyOnWriteArrayList<>();

  private final System.Logger logger;
  private final String name;
  private final boolean julBacked;
  private volatile List<Handler> captured = List.of();

  public ShutdownLog(String name) {
    this.logger = System.getLogger(name);
    this.name = name;
    this.julBacked = ServiceLoader.load(System.LoggerFinder.class, ClassLoader.getSystemClassLoader())
        .findFirst().isEmpty();
    ALL.add(this);
  }

  /** {@link #capture()} for every shutdown logger made so far (they are static, one per class). */
  public static void captureAll() {
    ALL.forEach(ShutdownLog::capture);
  }

  /**
   * Remembers the handlers that a line of this logger reaches now; call it while logging still
   * works, e.g. when a shutdown hook is installed. Does nothing unless java.util.logging backs
   * {@code System.Logger}.
   */
  public void capture() {
    if (julBacked) {
      captured = reachedHandlers(Logger.getLogger(name));
    }
  }

  /** Logs {@code message}; see the class comment for what happens after java.util.logging's reset. */
  public void log(Level level, String message) {
    if (!julBacked) {
      logger.log(level, message);
      return;
    }
    Logger jul = Logger.getLogger(name);
    LogRecord record = new LogRecord(julLevel(level), message);
    record.setLoggerName(name);
    // Named here, or java.util.logging would name this class as the line's source.
    record.setSourceClassName(name);
    List<Handler> handlers = captured;
    if (handlers.isEmpty()) {
      jul.log(record);
      return;
    }
    // The handlers a line reaches now, else (after the reset) the captured ones. Published to
    // directly: jul.log would go nowhere if the reset removed them between this look and the call.
    List<Handler> reached = reachedHandlers(jul);
    if (!reached.isEmpty()) {
      handlers = reached;
    }
    if (jul.isLoggable(record.getLevel())) {
      for (Handler handler : handlers) {
        handler.publish(record);
        handler.flush();
      }
    }
  }

  private static List<Handler> reachedHandlers(Logger logger) {
    List<Handler> handlers = new ArrayList<>();
    for (Logger at = logger; at != null; at = at.getUseParentHandlers() ? at.getParent() : null) {
      handlers.addAll(List.of(at.getHandlers()));
    }
    return List.copyOf(handlers);
  }

  private static java.util.logging.Level julLevel(Level level) {
    return switch (level) {
      case ALL, TRACE -> java.util.logging.Level.FINER;
      case DEBUG -> java.util.logging.Level.FINE;
      case INFO -> java.util.logging.Level.INFO;
      case WARNING -> java.util.logging.Level.WARNING;
      case ERROR, OFF -> java.util.logging.Level.SEVERE;
    };
  }
}
