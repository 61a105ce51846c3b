/**
 * shunt's stores on Hazelcast: a cluster-wide {@link dev.shunt.StatusStore} and {@link
 * dev.shunt.DeployLock} on {@code IMap}s, cluster-safety gates, and the {@code hazelcast://} store
 * spec. Its API takes and returns Hazelcast types, so reading this module reads Hazelcast's
 * ({@code com.hazelcast.core}, the {@code Automatic-Module-Name} of {@code hazelcast-5.x.jar}).
 */
// Hazelcast's jar names its module in its manifest (Automatic-Module-Name), so the name is stable.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.shunt.hazelcast {
  requires transitive dev.shunt;
  requires transitive com.hazelcast.core;

  exports dev.shunt.hazelcast;

  provides dev.shunt.StatusStoreProvider with dev.shunt.hazelcast.internal.HazelcastStoreProvider;
}
