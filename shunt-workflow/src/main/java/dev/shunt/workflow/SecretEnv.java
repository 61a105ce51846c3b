package dev.shunt.workflow;

import java.util.regex.Pattern;

/** The rules for a secret environment variable of {@link CommandStep} and {@link SshCommandStep}. */
final class SecretEnv {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private SecretEnv() {}

  /**
   * Checks a variable's name and that it has a value; the value itself is never named.
   *
   * @throws IllegalArgumentException naming the variable and the rule it breaks
   */
  static void requireValid(String name, String value) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("secretEnv name must be letters, digits and _, not starting with a digit, was "
          + (name == null ? null : "'" + name + "'"));
    }
    if (value == null) {
      throw new IllegalArgumentException("secretEnv " + name + " must have a value, was null"
          + " (is the variable it is read from set?)");
    }
  }
}
