package dev.shunt.workflow;

import dev.shunt.InstanceKey;
import dev.shunt.StatusStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Counts exactly how many instances an in-memory store holds shunted at every moment, and the most
 * there ever were: its shunts and unshunts change the store and the count in one step. Needed
 * because {@link StatusStore#shuntedInstances} read from another thread is no snapshot: it can see a host
 * that has just gone back and one that has just gone out at once.
 */
final class CountingStore {
  private final StatusStore delegate = StatusStore.inMemory();
  private final StatusStore store = (StatusStore) Proxy.newProxyInstance(StatusStore.class.getClassLoader(),
      new Class<?>[] {StatusStore.class}, (proxy, method, args) -> call(method, args));
  private int current;
  private int max;

  /** The store to hand to a rollout. */
  StatusStore store() {
    return store;
  }

  synchronized int max() {
    return max;
  }

  synchronized int current() {
    return current;
  }

  private Object call(Method method, Object[] args) throws Throwable {
    return switch (method.getName()) {
      case "shunt", "unshunt" -> countAndCall(method, args);
      default -> invoke(method, args);
    };
  }

  private synchronized Object countAndCall(Method method, Object[] args) throws Throwable {
    boolean wasShunted = delegate.status((InstanceKey) args[0]).shunted();
    Object result = invoke(method, args);
    boolean shunting = method.getName().equals("shunt");
    if (shunting != wasShunted) {
      current += shunting ? 1 : -1;
      max = Math.max(max, current);
    }
    return result;
  }

  private Object invoke(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
