package dev.shunt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A shutdown hook's lines after java.util.logging reset itself (its own shutdown hook removes
 * every handler): they go to the handlers captured before. The reset is played by removing the
 * handler from a logger of this test's own, so the JVM's logging is left alone.
 */
class ShutdownLogTest {
  private static final String NAME = "dev.shunt.internal.ShutdownLogTest.hook";

  private final Logger jul = Logger.getLogger(NAME);
  private final List<String> published = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      published.add(record.getLevel() + " " + record.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  ShutdownLogTest() {
    jul.setUseParentHandlers(false);
    jul.addHandler(handler);
  }

  @AfterEach
  void restore() {
    jul.removeHandler(handler);
    jul.setUseParentHandlers(true);
  }

  @Test
  void lineBeforeTheResetGoesThroughTheLoggerOnce() {
    ShutdownLog log = new ShutdownLog(NAME);
    log.capture();

    log.log(Level.INFO, "draining");

    assertThat(published).containsExactly("INFO draining");
  }

  @Test
  void lineAfterTheResetReachesTheHandlersCapturedBefore() {
    ShutdownLog log = new ShutdownLog(NAME);
    log.capture();
    jul.removeHandler(handler);

    log.log(Level.WARNING, "member overran its limit");

    assertThat(published).containsExactly("WARNING member overran its limit");
  }

  @Test
  void withoutACaptureALineAfterTheResetIsLost() {
    ShutdownLog log = new ShutdownLog(NAME);
    jul.removeHandler(handler);

    log.log(Level.INFO, "draining");

    assertThat(published).isEmpty();
  }
}
