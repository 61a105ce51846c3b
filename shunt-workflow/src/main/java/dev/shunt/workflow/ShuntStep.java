package dev.shunt.workflow;

import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.Step;
import dev.shunt.StepContext;
import java.util.Objects;

/** The steps that take a host out of rotation and put it back, through the rollout's store. */
public final class ShuntStep implements Step {
  private final ShuntRequest request;

  private ShuntStep(ShuntRequest request) {
    this.request = request;
  }

  /** A step that shunts the host with {@code request}'s reason, owner and time to live. */
  public static ShuntStep shunt(ShuntRequest request) {
    return new ShuntStep(Objects.requireNonNull(request, "request"));
  }

  /** A step that puts the host back in rotation. */
  public static ShuntStep unshunt() {
    return new ShuntStep(null);
  }

  @Override
  public void run(StepContext context) {
    if (request == null) {
      context.store().unshunt(context.key());
      context.outcome("in rotation");
    } else {
      ShuntStatus status = context.store().shunt(context.key(), request);
      context.outcome(status.toString());
    }
  }

  @Override
  public String name() {
    return request == null ? "unshunt" : "shunt";
  }

  @Override
  public String toString() {
    return request == null ? "unshunt" : "shunt(" + request + ")";
  }
}
