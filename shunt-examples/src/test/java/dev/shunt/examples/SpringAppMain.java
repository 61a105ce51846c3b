package dev.shunt.examples;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot app as a user writes one: embedded Tomcat, the actuator, shunt-core on the class
 * path and nothing else of shunt's; its properties come as {@code --name=value} arguments. It
 * answers {@code /} and a {@code /health} of its own (reached only when shunt is off), and
 * {@code /readiness/refuse} and {@code /readiness/accept} publish Spring's readiness, as an app
 * would. No component scan: only the member class {@link App} and the auto-configurations.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class SpringAppMain {
  public static void main(String[] args) {
    SpringApplication.run(SpringAppMain.class, args);
  }

  /** The app's own endpoints; a member class of the configuration, so Spring registers it. */
  @RestController
  static class App {
    private final ApplicationEventPublisher publisher;

    App(ApplicationEventPublisher publisher) {
      this.publisher = publisher;
    }

    @GetMapping("/")
    String root() {
      return "ok";
    }

    @GetMapping("/health")
    String health() {
      return "the app's own health";
    }

    @GetMapping("/readiness/refuse")
    String refuse() {
      AvailabilityChangeEvent.publish(publisher, this, ReadinessState.REFUSING_TRAFFIC);
      return "refusing";
    }

    @GetMapping("/readiness/accept")
    String accept() {
      AvailabilityChangeEvent.publish(publisher, this, ReadinessState.ACCEPTING_TRAFFIC);
      return "accepting";
    }
  }
}
