package dev.shunt.hazelcast.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * The task a client sends to a member through an {@code IExecutorService} to learn the cluster's
 * safety, which only a member can see: a client has no partition service that answers it. Runs
 * on the member, which Hazelcast hands it as it arrives; answers a {@link SafetySnapshot}. Travels
 * as the Compact type {@value SafetyProbeSerializer#TYPE_NAME}, with no fields, so the member
 * needs this module on its class path and its {@code Config} passed through
 * {@code HazelcastStatusStore.configure}.
 */
public final class SafetyProbe implements Callable<SafetySnapshot>, HazelcastInstanceAware, Serializable {
  private transient HazelcastInstance member;

  @Override
  public void setHazelcastInstance(HazelcastInstance member) {
    this.member = member;
  }

  @Override
  public SafetySnapshot call() {
    if (member == null) {
      throw new IllegalStateException("the safety probe runs only on a member, through an IExecutorService");
    }
    return SafetySnapshot.takenOn(member);
  }

  private Object writeReplace() throws ObjectStreamException {
    throw CompactOnly.refuseJavaSerialization(this);
  }
}
