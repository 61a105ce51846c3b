package dev.shunt;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Step} does and how it is set up, for a rollout's plan: its name, what kind of work
 * it is, the longest it runs or waits by its own settings, and its other settings for people to
 * read. A rollout's plan uses the kind and the time limit to warn about settings that cannot work
 * (e.g. a drain that gives up before the load balancer can have noticed the shunt).
 *
 * <p>Immutable and thread-safe; the {@code with…} methods return changed copies.
 */
public final class StepDescription {

  /** The kinds of work a plan tells apart. */
  public enum Kind {
    /** Takes the host out of rotation. */
    SHUNT,
    /** Waits until the load balancer has stopped sending the host traffic. */
    DRAIN,
    /** Runs a command, e.g. the restart. */
    COMMAND,
    /** Waits until the restarted application answers. */
    READINESS,
    /** Puts the host back in rotation. */
    UNSHUNT,
    /** Waits until the load balancer sends the host traffic again. */
    ROTATION,
    /** Waits until something beyond the host lets the rollout go on, e.g. a cluster's safety ({@link ClusterGate}). */
    GATE,
    /** Anything else. */
    OTHER
  }

  private final String name;
  private final Kind kind;
  private final Duration timeout;
  private final Map<String, String> settings;

  private StepDescription(String name, Kind kind, Duration timeout, Map<String, String> settings) {
    this.name = Objects.requireNonNull(name, "name");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.timeout = timeout;
    this.settings = settings;
  }

  /**
   * A step called {@code name} of {@code kind}, with no time limit of its own and no settings.
   *
   * @param name the step's name
   * @param kind what kind of work it does
   * @return a new description, with no limit and no settings
   */
  public static StepDescription of(String name, Kind kind) {
    return new StepDescription(name, kind, null, Map.of());
  }

  /**
   * This description with the longest the step runs or waits by its own settings.
   *
   * @param timeout the step's own time limit; positive
   * @return a copy with the limit
   */
  public StepDescription withTimeout(Duration timeout) {
    return new StepDescription(name, kind, Objects.requireNonNull(timeout, "timeout"), settings);
  }

  /**
   * This description with one more setting, shown as {@code name=value} after the ones before.
   *
   * @param setting the setting's name
   * @param value its value, shown with {@code String.valueOf}; never a secret
   * @return a copy with the setting
   */
  public StepDescription with(String setting, Object value) {
    Map<String, String> copy = new LinkedHashMap<>(settings);
    copy.put(Objects.requireNonNull(setting, "setting"), String.valueOf(value));
    return new StepDescription(name, kind, timeout, Collections.unmodifiableMap(copy));
  }

  /**
   * The step's name, as {@link Step#name()}.
   *
   * @return the step's name
   */
  public String name() {
    return name;
  }

  /**
   * What kind of work the step does.
   *
   * @return the kind, never null
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The longest the step runs or waits by its own settings; empty if it sets no limit.
   *
   * @return the limit, or empty
   */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /**
   * The step's other settings, in the order they were added; never holds a secret.
   *
   * @return the settings by name, unmodifiable
   */
  public Map<String, String> settings() {
    return settings;
  }

  /** E.g. {@code drain [DRAIN] timeout=PT30S times=3}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(name).append(" [").append(kind).append(']');
    if (timeout != null) {
      text.append(" timeout=").append(timeout);
    }
    settings.forEach((key, value) -> text.append(' ').append(key).append('=').append(value));
    return text.toString();
  }
}
