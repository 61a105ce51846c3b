/**
 * shunt in a Spring Boot app (3.5 and 4.0, servlet stack): {@link dev.shunt.spring.ShuntAutoConfiguration}
 * makes the store, the health and maintenance responders, the servlet filter, the drain on
 * shutdown ({@link dev.shunt.spring.ShuntLifecycle}, inside Spring's own shutdown, before the web
 * server stops), the actuator's {@code shunt} health indicator and, opt-in, the bridge with
 * Spring's readiness; {@link dev.shunt.spring.ShuntProperties} holds the {@code shunt.*}
 * properties.
 *
 * <p>Spring Boot is an optional dependency of {@code shunt-core}: the app brings it. Spring Boot
 * finds the auto-configuration in {@code META-INF/spring/…AutoConfiguration.imports}; without
 * Spring Boot nothing loads this package, and the rest of the library runs without it.
 */
package dev.shunt.spring;
