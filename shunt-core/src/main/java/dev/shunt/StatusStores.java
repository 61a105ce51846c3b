package dev.shunt;

import dev.shunt.internal.FlagFileStoreProvider;
import dev.shunt.internal.MemoryStoreProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Opens a {@link StatusStore} named by a string (a <em>spec</em>), so that a command line, a
 * script or a configuration file can choose the store, and the code that opens it needs no
 * dependency on the module that implements it.
 *
 * <pre>{@code
 * try (OpenedStore opened = StatusStores.open(System.getenv().getOrDefault("SHUNT_STORE", "file:/var/run/shunt"))) {
 *   StatusStore store = opened.store();
 *   ...
 * }
 * }</pre>
 *
 * <p>A spec is {@code scheme:rest}; the scheme is case-insensitive. Built in:
 * <ul>
 *   <li>{@code memory:} &mdash; a new, empty {@linkplain StatusStore#inMemory() in-memory store}
 *       (every call opens another one); nothing may follow the colon;</li>
 *   <li>{@code file:DIR} &mdash; {@linkplain StatusStore#flagFiles(java.nio.file.Path) flag files}
 *       under the directory {@code DIR}: {@code file:/var/run/shunt}, or a path relative to the
 *       working directory such as {@code file:flags}; the URI form {@code file:///var/run/shunt}
 *       is read the same. The directory need not exist yet (the first shunt creates it), but if
 *       something else than a directory is there, opening fails.</li>
 * </ul>
 * A bare path ({@code /var/run/shunt}) is not a spec: it is refused with a message suggesting
 * {@code file:/var/run/shunt}, so that a typo in a scheme is never mistaken for a directory.
 * More schemes come from {@link StatusStoreProvider}s on the class path: {@code shunt-hazelcast}
 * adds {@code hazelcast://HOST:PORT[,HOST:PORT…][?cluster=NAME]}, a client of a running cluster.
 *
 * <p><b>Closing.</b> {@link #open} returns an {@link OpenedStore}: close it when done (it is
 * {@link AutoCloseable}), which releases what was opened for the store, e.g. the Hazelcast client.
 *
 * <p>Thread-safe. Providers are looked up with {@link ServiceLoader} through the thread's
 * context class loader on every call.
 */
public final class StatusStores {
  private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):.*", Pattern.DOTALL);

  private StatusStores() {}

  /**
   * Opens the store {@code spec} names.
   *
   * @param spec the store's spec, e.g. {@code memory:}, {@code file:/var/run/shunt} or {@code hazelcast://10.0.0.1:5701}
   * @return the store with what was opened for it; close it when done
   * @throws IllegalArgumentException if {@code spec} is blank, has no or an unknown scheme (the
   *     message lists the known ones, with an example of each) or is malformed for its scheme
   *     (the message quotes it and says what is wrong)
   * @throws ShuntException if the store cannot be opened (a cluster that cannot be reached, a
   *     file where a directory should be), or two providers claim the spec's scheme
   */
  public static OpenedStore open(String spec) {
    List<StatusStoreProvider> providers = providers();
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("store spec must not be blank, was "
          + (spec == null ? "null" : "'" + spec + "'") + "; " + known(providers));
    }
    Matcher matcher = SCHEME.matcher(spec);
    if (!matcher.matches()) {
      String hint = spec.startsWith("/") || spec.startsWith(".") ? "; for flag files in that directory write file:"
          + spec : "";
      throw new IllegalArgumentException("store spec '" + spec + "' has no scheme" + hint + "; " + known(providers));
    }
    String scheme = matcher.group(1).toLowerCase(Locale.ROOT);
    List<StatusStoreProvider> matching = providers.stream()
        .filter(provider -> provider.scheme().equalsIgnoreCase(scheme)).toList();
    if (matching.isEmpty()) {
      throw new IllegalArgumentException("store spec '" + spec + "' has an unknown scheme '" + scheme + ":'; "
          + known(providers));
    }
    if (matching.size() > 1) {
      throw new ShuntException("store scheme '" + scheme + ":' is provided by more than one class on the class path: "
          + matching.stream().map(provider -> provider.getClass().getName()).toList() + "; keep one");
    }
    return matching.get(0).open(spec);
  }

  private static List<StatusStoreProvider> providers() {
    List<StatusStoreProvider> providers = new ArrayList<>(List.of(new MemoryStoreProvider(), new FlagFileStoreProvider()));
    try {
      ServiceLoader.load(StatusStoreProvider.class).forEach(providers::add);
    } catch (ServiceConfigurationError e) {
      throw new ShuntException("cannot load the status store providers on the class path: " + e.getMessage(), e);
    }
    return providers;
  }

  private static String known(List<StatusStoreProvider> providers) {
    return providers.stream()
        .map(provider -> provider.scheme() + ": (e.g. " + provider.example() + ")")
        .collect(Collectors.joining(", ", "known schemes: ", ""));
  }
}
