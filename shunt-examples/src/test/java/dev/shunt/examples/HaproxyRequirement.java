package dev.shunt.examples;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The tests that need a real HAProxy: under {@code CI=true} a missing {@code haproxy} fails them;
 * elsewhere they are skipped with a message saying how to install it.
 */
final class HaproxyRequirement {
  private HaproxyRequirement() {}

  /** The {@code haproxy} executable, or a failed (CI) or skipped (elsewhere) test. */
  static Path haproxy() {
    Optional<Path> executable = Haproxy.executable();
    if (executable.isEmpty() && "true".equals(System.getenv("CI"))) {
      fail("haproxy is not installed, and CI=true: install it with `apt-get install -y haproxy`"
          + " (.ci/run does this)");
    }
    assumeTrue(executable.isPresent(),
        "haproxy is not installed: these tests need it (apt-get install -y haproxy); skipped");
    return executable.get();
  }

  /** The test class path, for backend processes (Surefire's own class path is a booter jar). */
  static String classpath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }
}
