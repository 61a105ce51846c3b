package dev.shunt;

/**
 * Opens the {@link StatusStore}s of one scheme for {@link StatusStores#open(String)}: the way a
 * module adds a store that a command line, a script or a configuration file can name with a
 * string, without the code that opens it depending on that module.
 *
 * <p>A provider is found with {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/dev.shunt.StatusStoreProvider} of its jar and, for the module path,
 * declare it in its {@code module-info} ({@code provides dev.shunt.StatusStoreProvider with …}).
 * It needs a public no-argument constructor. {@code shunt-hazelcast} provides {@code hazelcast://}; the
 * {@code memory:} and {@code file:} schemes are built in.
 *
 * <p>Implementations must be thread-safe; {@link #open} may be called by many threads at once.
 */
public interface StatusStoreProvider {

  /**
   * The scheme this provider opens, in lower case and without the colon: {@code hazelcast} for
   * specs such as {@code hazelcast://10.0.0.1:5701}.
   *
   * @return the scheme, e.g. {@code hazelcast}
   */
  String scheme();

  /**
   * An example spec, shown to someone who wrote an unknown or malformed one, e.g.
   * {@code hazelcast://10.0.0.1:5701,10.0.0.2:5701?cluster=shunt}.
   *
   * @return an example spec of this scheme
   */
  String example();

  /**
   * Opens the store {@code spec} names. The caller closes what this returns when done with it;
   * whatever the store holds open (connections, threads, listeners) is released then.
   *
   * @param spec the whole spec, scheme included; its scheme is this provider's, in any case
   * @return the opened store, to be closed by the caller
   * @throws IllegalArgumentException if {@code spec} is malformed: the message quotes the spec
   *     and says what is wrong with it
   * @throws ShuntException if the store it names cannot be opened (unreachable, not a directory…)
   */
  OpenedStore open(String spec);
}
