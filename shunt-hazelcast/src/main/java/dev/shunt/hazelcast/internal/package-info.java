/**
 * Implementation of {@link dev.shunt.hazelcast.HazelcastStatusStore}: the Compact serializers
 * and the entry processors that run on the members, and the provider of {@code hazelcast://}
 * store specs for {@link dev.shunt.StatusStores}. Not API.
 *
 * <p>The Compact type names ({@code shunt.*}) and field names are the format stored in the
 * cluster and sent between versions of this library: never rename them; add fields instead, and
 * read a new field only when the reader says the value has it.
 */
package dev.shunt.hazelcast.internal;
