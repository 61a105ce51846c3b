package dev.shunt.testing;

import dev.shunt.CheckerReport;
import dev.shunt.InstanceKey;
import dev.shunt.MaintenanceFlag;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.StoreException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The two sides of a flag-file store, run in a JVM of their own so that a test can run each as
 * another user: {@code deploy DIR SERVICE HOST} shunts the host and starts maintenance, as a
 * deploy tool would; {@code app DIR SERVICE HOST} prints what a responder reads ({@code shunted}
 * or {@code in rotation}, then {@code maintenance on} or {@code maintenance off}) and writes a
 * checker report, as a responder would; {@code status DIR SERVICE HOST} prints what
 * {@code status} says, {@code shunted} or {@code in rotation}, or the message of the
 * {@link StoreException} it throws.
 */
public final class FlagFileStoreTool {
  private FlagFileStoreTool() {}

  public static void main(String[] args) {
    StatusStore store = StatusStore.flagFiles(Path.of(args[1]));
    InstanceKey key = InstanceKey.of(args[2], args[3]);
    switch (args[0]) {
      case "deploy" -> {
        store.shunt(key, ShuntRequest.of("deploy 42", "root"));
        store.startMaintenance(key.service(), MaintenanceFlag.of("upgrade", "root", Instant.now()));
      }
      case "app" -> {
        System.out.println(store.status(key).shunted() ? "shunted" : "in rotation");
        System.out.println(store.maintenance(key.service()).isPresent() ? "maintenance on" : "maintenance off");
        store.report(key, new CheckerReport("10.0.0.1", store.status(key).shunted(), 1, Instant.now()));
      }
      case "status" -> {
        try {
          System.out.println(store.status(key).shunted() ? "shunted" : "in rotation");
        } catch (StoreException e) {
          System.out.println(e.getMessage());
        }
      }
      default -> throw new IllegalArgumentException("unknown command " + args[0] + ", expected deploy, app or status");
    }
  }
}
