/**
 * shunt's core: statuses and the stores that hold them, health-check responders, deploy locks and
 * the {@link dev.shunt.Step} that {@code shunt-workflow} composes. The module is named after its
 * top package, {@code dev.shunt}; the artifact is {@code dev.shunt:shunt-core}.
 *
 * <p>{@code dev.shunt.internal} is implementation, readable by shunt's own modules only. The
 * Jakarta Servlet API is optional: only {@code dev.shunt.servlet} needs it, and the container
 * provides it. More {@link dev.shunt.StatusStore} schemes come from {@link
 * dev.shunt.StatusStoreProvider}s ({@code provides} in a named module, {@code META-INF/services} on
 * the class path); {@code memory:} and {@code file:} are built in.
 */
// javac warns that the qualified exports' targets are not built yet; they are built after this one.
@SuppressWarnings({"module", "requires-automatic"})
module dev.shunt {
  requires transitive jdk.httpserver;
  // Not transitive, though ShuntFilter's signature names it (see -Xlint:-exports in the POM): a
  // Servlet app reads it anyway, and a transitive static requires would make every module that
  // reads this one need the Servlet API to compile.
  requires static jakarta.servlet;
  requires java.logging;
  // Optional: only dev.shunt.micrometer needs it, and an app that binds those meters has it.
  requires static micrometer.core;
  // Optional: only dev.shunt.spring needs Spring Boot, and only in an app that has it (3.5: actuate;
  // 4.0: health). Spring's jars name their modules in their manifests.
  requires static spring.boot;
  requires static spring.boot.autoconfigure;
  requires static spring.boot.actuator;
  requires static spring.boot.health;
  requires static spring.context;
  requires static spring.beans;
  requires static spring.core;

  exports dev.shunt;
  exports dev.shunt.httpserver;
  exports dev.shunt.servlet;
  exports dev.shunt.sidecar;
  exports dev.shunt.micrometer;
  exports dev.shunt.spring;
  // Spring creates the auto-configuration and reads its properties by reflection.
  opens dev.shunt.spring to spring.core, spring.beans, spring.context, spring.boot;
  exports dev.shunt.internal to dev.shunt.hazelcast, dev.shunt.workflow;

  uses dev.shunt.StatusStoreProvider;
  // ShutdownLog asks whether an application installed its own System.Logger backend.
  uses java.lang.System.LoggerFinder;
}
