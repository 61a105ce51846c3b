package dev.shunt.workflow.lb;

/**
 * How a {@link LoadBalancer} names the server of a host: {@code {host}} stands for the host,
 * {@code {index}} for its position in the rollout's hosts, from 1. E.g. {@code {host}} for
 * HAProxy servers named as the hosts, {@code app-{index}} for {@code app-1}, {@code app-2}…,
 * {@code {host}:8080} for an nginx upstream server. Immutable.
 *
 * @param template the template, not blank, with no placeholder but {@code {host}} and {@code {index}}
 */
public record ServerTemplate(String template) {

  /** The template {@code {host}}: servers named as the hosts. */
  public static final ServerTemplate HOST = new ServerTemplate("{host}");

  /**
   * @param template not blank; no placeholder but {@code {host}} and {@code {index}}
   * @throws IllegalArgumentException naming the value and the rule it breaks
   */
  public ServerTemplate {
    if (template == null || template.isBlank()) {
      throw new IllegalArgumentException("server must not be blank, was " + (template == null ? null : "'" + template + "'"));
    }
    String rest = template.replace("{host}", "").replace("{index}", "");
    if (rest.contains("{") || rest.contains("}")) {
      throw new IllegalArgumentException("server must hold no placeholder but {host} and {index}, was '" + template + "'");
    }
  }

  /**
   * The template {@code template}.
   *
   * @param template not blank; no placeholder but {@code {host}} and {@code {index}}
   * @return the checked template
   */
  public static ServerTemplate of(String template) {
    return new ServerTemplate(template);
  }

  /**
   * Whether it names hosts by position, which only an engine with a list of hosts can give.
   *
   * @return true when it holds {@code {index}}
   */
  public boolean usesIndex() {
    return template.contains("{index}");
  }

  /**
   * The server of {@code host} at {@code hostIndex} (from 1).
   *
   * @param host the host's name
   * @param hostIndex the host's position, from 1
   * @return the server's name
   * @throws IllegalArgumentException if the template uses {@code {index}} and {@code hostIndex} is below 1
   */
  public String apply(String host, int hostIndex) {
    if (usesIndex() && hostIndex < 1) {
      throw new IllegalArgumentException("server '" + template + "' names the host by its position in the rollout's"
          + " hosts, which the engine running it does not give");
    }
    return template.replace("{host}", host).replace("{index}", Integer.toString(hostIndex));
  }

  @Override
  public String toString() {
    return template;
  }
}
