/**
 * Micrometer meters for the health responder: {@link dev.shunt.micrometer.HealthResponderMetrics},
 * a {@code MeterBinder}.
 *
 * <p>Micrometer ({@code io.micrometer:micrometer-core}) is an optional dependency of
 * {@code shunt-core}: the application brings it (Spring Boot's actuator does), and nothing outside
 * this package uses it, so the rest of the library runs without it.
 */
package dev.shunt.micrometer;
