package sneaky;

public final class Main {
  public static void main(String[] args) {
    System.out.println(dev.shunt.internal.Json.class);
    // The checks shunt's stores share are internal too, not a public helper.
    System.out.println(dev.shunt.internal.InstanceKeyRules.requireServiceName("checkout"));
    System.out.println(dev.shunt.workflow.internal.Planner.class);
    System.out.println(dev.shunt.hazelcast.internal.HazelcastStoreProvider.class);
  }
}
