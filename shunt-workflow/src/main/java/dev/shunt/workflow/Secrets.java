package dev.shunt.workflow;

import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values that must never be shown: tokens, passwords, keys handed to a command. {@link #mask(String)}
 * replaces every occurrence of each value in a text by {@value #MASK}, and the password of every
 * URL in it ({@code http://user:pass@host/} becomes {@code http://user:****@host/}), or its user
 * part when it has no password, which is then likely a token ({@code https://TOKEN@host/} becomes
 * {@code https://****@host/}).
 *
 * <p>A {@link Rollout} masks with the secrets of all its steps (those that implement
 * {@link UsesSecrets}, as {@link CommandStep} and {@link SshCommandStep} do) every text it hands
 * on: listener events and so the console, step outcomes and exception messages in the
 * {@link RolloutReport} and its JSON, journal entries, the {@link RolloutPlan} and pre-flight
 * problems. URL passwords are masked even with no secret at all.
 *
 * <p>Masking works on whole values: a step that prints a secret transformed (base64, split over
 * lines, one character at a time) is not masked. A short value masks every occurrence of it, even
 * where it is not the secret: keep secrets long. Empty values are ignored.
 *
 * <p>Immutable and thread-safe; {@link #toString()} never shows a value.
 */
public final class Secrets {
  /** What a secret is replaced by. */
  public static final String MASK = "****";

  private static final Secrets NONE = new Secrets(List.of());
  /**
   * {@code scheme://user:password@}: the user (group 1) stays, the password goes; or
   * {@code scheme://token@} (no password, group 2 empty): a lone user part may be a token, and goes.
   */
  private static final Pattern URL_CREDENTIALS =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)(?:([^\\s/?#@:]*):[^\\s/?#]*|[^\\s/?#@:]+)@");

  /** Longest first, so that a secret that holds another is masked whole. */
  private final List<String> values;

  private Secrets(List<String> values) {
    this.values = values;
  }

  /**
   * No secret: {@link #mask(String)} masks URL passwords only.
   *
   * @return the empty set of secrets
   */
  public static Secrets none() {
    return NONE;
  }

  /**
   * These values; empty ones are ignored.
   *
   * @param values the values to mask
   * @return an immutable set of secrets
   */
  public static Secrets of(String... values) {
    return of(Arrays.asList(values));
  }

  /**
   * These values; empty ones are ignored.
   *
   * @param values the values to mask
   * @return an immutable set of secrets
   */
  public static Secrets of(Collection<String> values) {
    Set<String> kept = new LinkedHashSet<>();
    for (String value : values) {
      Objects.requireNonNull(value, "a secret must not be null");
      if (!value.isEmpty()) {
        kept.add(value);
      }
    }
    if (kept.isEmpty()) {
      return NONE;
    }
    return new Secrets(kept.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList());
  }

  /**
   * These secrets and {@code other}'s.
   *
   * @param other the secrets to add
   * @return the union of both
   */
  public Secrets and(Secrets other) {
    if (other.values.isEmpty()) {
      return this;
    }
    if (values.isEmpty()) {
      return other;
    }
    Set<String> both = new LinkedHashSet<>(values);
    both.addAll(other.values);
    return of(both);
  }

  /**
   * Whether there is no value to mask (URL passwords are masked all the same).
   *
   * @return true when no value is masked
   */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /**
   * How many values are masked.
   *
   * @return the number of values
   */
  public int size() {
    return values.size();
  }

  /**
   * {@code text} with every secret value, and every URL's password, replaced by {@value #MASK};
   * null stays null.
   *
   * @param text the text to mask, or null
   * @return the masked text, or null
   */
  public String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String masked = text;
    for (String value : values) {
      if (masked.contains(value)) {
        masked = masked.replace(value, MASK);
      }
    }
    return maskUrlCredentials(masked);
  }

  /**
   * {@code text} with the password of every URL in it, or its user part when it has no password,
   * replaced by {@value #MASK}; null stays null.
   *
   * @param text the text to mask, or null
   * @return the masked text, or null
   */
  public static String maskUrlCredentials(String text) {
    if (text == null || text.indexOf('@') < 0) {
      return text;
    }
    Matcher matcher = URL_CREDENTIALS.matcher(text);
    return matcher.find() ? matcher.replaceAll(result -> Matcher.quoteReplacement(result.group(1)
        + (result.group(2) != null ? result.group(2) + ":" : "")) + MASK + "@") : text;
  }

  /** E.g. {@code Secrets[2 values]}: never a value. */
  @Override
  public String toString() {
    return "Secrets[" + values.size() + (values.size() == 1 ? " value]" : " values]");
  }
}
