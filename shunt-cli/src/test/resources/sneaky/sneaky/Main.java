package sneaky;

public final class Main {
  public static void main(String[] args) {
    System.out.println(dev.shunt.internal.Json.class);
    System.out.println(dev.shunt.workflow.internal.Planner.class);
    System.out.println(dev.shunt.hazelcast.internal.HazelcastStoreProvider.class);
  }
}
