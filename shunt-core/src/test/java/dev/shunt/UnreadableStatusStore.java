package dev.shunt;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * A store whose reads on the hot path ({@code status}, {@code maintenance}) fail, as a store on an
 * unreachable network would; every other call goes to an in-memory store.
 */
final class UnreadableStatusStore {
  private UnreadableStatusStore() {}

  /** A new such store. */
  static StatusStore create() {
    StatusStore writes = StatusStore.inMemory();
    return (StatusStore) Proxy.newProxyInstance(StatusStore.class.getClassLoader(),
        new Class<?>[] {StatusStore.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "status" -> throw new ShuntException("cannot reach the store to read " + args[0]);
            case "maintenance" -> throw new ShuntException(
                "cannot reach the store to read the maintenance flag of " + args[0]);
            default -> {
              try {
                return method.invoke(writes, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            }
          }
        });
  }
}
