package dev.shunt.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The messages one class logs through {@code System.Logger} (backed by java.util.logging) while
 * a test runs, kept out of the console; {@link #close()} restores the logger. Thread-safe.
 *
 * <pre>{@code
 * try (CapturedLog log = CapturedLog.of(FlagFileStatusStore.class)) { ...; assertThat(log.messages())... }
 * }</pre>
 */
public final class CapturedLog implements AutoCloseable {
  private final Logger logger;
  private final boolean usedParentHandlers;
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      messages.add(record.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  private CapturedLog(String name) {
    logger = Logger.getLogger(name);
    usedParentHandlers = logger.getUseParentHandlers();
    logger.setUseParentHandlers(false);
    logger.addHandler(handler);
  }

  /** Starts capturing what {@code type} logs under its class name. */
  public static CapturedLog of(Class<?> type) {
    return new CapturedLog(type.getName());
  }

  /** Every message logged since the capture started, in order. */
  public List<String> messages() {
    return List.copyOf(messages);
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
    logger.setUseParentHandlers(usedParentHandlers);
  }
}
