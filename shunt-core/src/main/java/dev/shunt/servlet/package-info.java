/**
 * The adapter for Jakarta Servlet containers (Servlet 6.0 and later: Jetty 12 ee10, Tomcat 10.1,
 * Undertow, Spring Boot 3): {@link dev.shunt.servlet.ShuntFilter}.
 *
 * <p>The servlet API is an optional dependency of {@code shunt-core}: the container provides it,
 * and nothing outside this package uses it, so the rest of the library runs without it.
 */
package dev.shunt.servlet;
