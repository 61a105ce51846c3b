package dev.shunt.examples;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The tests that need a real Caddy, Varnish or nginx: under {@code CI=true} a missing one fails
 * them; elsewhere they are skipped with a message saying how to install it (as
 * {@link HaproxyRequirement} does for HAProxy).
 */
final class LoadBalancerRequirement {
  private LoadBalancerRequirement() {}

  /** The {@code caddy} executable, or a failed (CI) or skipped (elsewhere) test. */
  static Path caddy() {
    return require(Caddy.executable(), "caddy", "caddy");
  }

  /** The {@code varnishd} executable, or a failed (CI) or skipped (elsewhere) test. */
  static Path varnishd() {
    return require(Varnish.executable(), "varnishd", "varnish");
  }

  /** The {@code nginx} executable, or a failed (CI) or skipped (elsewhere) test. */
  static Path nginx() {
    return require(Nginx.executable(), "nginx", "nginx");
  }

  private static Path require(Optional<Path> executable, String name, String debianPackage) {
    if (executable.isEmpty() && "true".equals(System.getenv("CI"))) {
      fail(name + " is not installed, and CI=true: install it with `apt-get install -y " + debianPackage
          + "` (.ci/run does this)");
    }
    assumeTrue(executable.isPresent(),
        name + " is not installed: these tests need it (apt-get install -y " + debianPackage + "); skipped");
    return executable.get();
  }
}
