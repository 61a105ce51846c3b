package dev.shunt.workflow.lb;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link LoadBalancer} in memory that records every call ({@code takeOut web-1}) and can be
 * told to refuse put-backs or every call, as an unreachable load balancer would.
 */
final class RecordingLoadBalancer implements LoadBalancer {
  private final String name;
  private final List<String> calls = new ArrayList<>();
  private final Set<String> out = new HashSet<>();
  private boolean refusePutBack;
  private boolean unreachable;

  RecordingLoadBalancer(String name) {
    this.name = name;
  }

  /** From now on, a put-back fails as a load balancer that refuses it. */
  synchronized RecordingLoadBalancer refusingPutBack() {
    refusePutBack = true;
    return this;
  }

  /** From now on, every call fails as on a load balancer that cannot be reached. */
  synchronized void goAway() {
    unreachable = true;
  }

  /** From now on, every call succeeds again. */
  synchronized void comeBack() {
    unreachable = false;
    refusePutBack = false;
  }

  synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  synchronized boolean isOut(String server) {
    return out.contains(server);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized void takeOut(String server) {
    record("takeOut " + server);
    out.add(server);
  }

  @Override
  public synchronized void putBack(String server) {
    record("putBack " + server);
    if (refusePutBack) {
      throw new LoadBalancerException(name + " refused to put server " + server + " back");
    }
    out.remove(server);
  }

  @Override
  public synchronized ServerState state(String server) {
    record("state " + server);
    boolean isOut = out.contains(server);
    return new ServerState(server, isOut ? "OUT" : "IN", isOut, !isOut, 0);
  }

  private void record(String call) {
    calls.add(call);
    if (unreachable) {
      throw new LoadBalancerException(name + " cannot be reached");
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
