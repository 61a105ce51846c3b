package dev.shunt.hazelcast.internal;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.PartitionService;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What one member saw of the cluster's safety at one moment: the members (oldest first), whether
 * the cluster is safe ({@link PartitionService#isClusterSafe()}: no migration running, every
 * backup in sync), and, when it is not, the members that are not safe themselves
 * ({@link PartitionService#isMemberSafe(Member)}). Travels from a member to a client as the
 * Compact type {@value SafetySnapshotSerializer#TYPE_NAME}. Immutable.
 *
 * @param answeredBy the member that looked, as {@code host:port}
 * @param members every member, as {@code host:port}, oldest first
 * @param safe whether the cluster is safe
 * @param unsafeMembers the members whose own partitions' backups are not in sync; may be empty
 *     while the cluster is not safe (a migration is running)
 */
public record SafetySnapshot(String answeredBy, List<String> members, boolean safe, List<String> unsafeMembers)
    implements Serializable {

  public SafetySnapshot {
    members = List.copyOf(members);
    unsafeMembers = List.copyOf(unsafeMembers);
  }

  /** Looks at the cluster from {@code member}, a member (not a client). */
  public static SafetySnapshot takenOn(HazelcastInstance member) {
    List<Member> members = new ArrayList<>(member.getCluster().getMembers());
    PartitionService partitions = member.getPartitionService();
    boolean safe = partitions.isClusterSafe();
    List<String> unsafe = new ArrayList<>();
    if (!safe) {
      for (Member each : members) {
        if (!isMemberSafe(partitions, each)) {
          unsafe.add(address(each));
        }
      }
    }
    return new SafetySnapshot(address(member.getCluster().getLocalMember()),
        members.stream().map(SafetySnapshot::address).toList(), safe, unsafe);
  }

  private static boolean isMemberSafe(PartitionService partitions, Member member) {
    try {
      return partitions.isMemberSafe(member);
    } catch (RuntimeException leftOrUnreachable) {
      return false;
    }
  }

  /** {@code host:port}, the host in brackets when it is an IPv6 address. */
  static String address(Member member) {
    Address address = member.getAddress();
    String host = address.getHost();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  private Object writeReplace() throws ObjectStreamException {
    throw CompactOnly.refuseJavaSerialization(this);
  }
}
