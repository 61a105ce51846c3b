package dev.shunt.hazelcast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.HazelcastClientNotActiveException;
import com.hazelcast.client.HazelcastClientOfflineException;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IndeterminateOperationStateException;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.core.OperationTimeoutException;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.WrongTargetException;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.StoreException;
import dev.shunt.hazelcast.HazelcastCluster;
import dev.shunt.hazelcast.HazelcastStatusStore;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which Hazelcast failures a store call reports as {@linkplain StoreException#retryable()
 * retryable}: those that pass once the cluster has settled after a member left or died.
 */
class HazelcastCallsTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(1);

  static Stream<RuntimeException> failuresThatPass() {
    return Stream.of(
        new TargetDisconnectedException("the member closed the connection"),
        new HazelcastException(new MemberLeftException("the member left")),
        new WrongTargetException("the partition moved"),
        new HazelcastInstanceNotActiveException("the member is shutting down"),
        new HazelcastClientOfflineException(),
        new IndeterminateOperationStateException("no backup acknowledged"),
        new OperationTimeoutException("no answer in time"),
        new HazelcastException(new IOException("No connection found to invoke")));
  }

  static Stream<RuntimeException> failuresThatStay() {
    return Stream.of(
        new HazelcastSerializationException("no serializer for the type"),
        new HazelcastClientNotActiveException("Client is shutting down",
            new TargetDisconnectedException("the member closed the connection")),
        new IllegalArgumentException("a bug"));
  }

  private static StoreException failure(HazelcastInstance instance, RuntimeException thrown) {
    try {
      HazelcastCalls.call(instance, () -> "shunt checkout/web-1", () -> {
        throw thrown;
      });
    } catch (StoreException e) {
      assertThat(e).hasMessageStartingWith("cannot shunt checkout/web-1 in Hazelcast: ").hasCause(thrown);
      return e;
    }
    throw new AssertionError("no StoreException");
  }

  @ParameterizedTest
  @MethodSource("failuresThatPass")
  void failureOfAChangingOrUnreachableClusterIsRetryable(RuntimeException thrown) {
    assertThat(failure(CLUSTER.member(0), thrown).retryable()).isTrue();
  }

  @ParameterizedTest
  @MethodSource("failuresThatStay")
  void failureThatWouldComeAgainIsNotRetryable(RuntimeException thrown) {
    assertThat(failure(CLUSTER.member(0), thrown).retryable()).isFalse();
  }

  @Test
  void storeWhoseOwnClientWasShutDownFailsNotRetryable() {
    HazelcastInstance client = CLUSTER.newClient();
    HazelcastStatusStore store = HazelcastStatusStore.builder(client).build();
    client.shutdown();

    assertThatThrownBy(() -> store.shunt(InstanceKey.of("checkout", "web-1"), ShuntRequest.of("deploy", "ci")))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse());
  }
}
