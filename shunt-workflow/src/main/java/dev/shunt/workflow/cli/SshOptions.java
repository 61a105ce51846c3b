package dev.shunt.workflow.cli;

import dev.shunt.Step;
import dev.shunt.workflow.CommandStep;
import dev.shunt.workflow.SshCommandStep;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code roll}'s {@code --ssh-*} options: where and how the restart command runs. */
final class SshOptions {
  @Option(names = "--ssh-user", paramLabel = "USER", description = "Run the restart on the host over SSH, as USER."
      + " Default: run it here with sh -c.")
  private String sshUser;

  @Option(names = "--ssh-port", paramLabel = "PORT", defaultValue = "22",
      description = "The SSH port of hosts that name none (web-1:2222 does). Default: ${DEFAULT-VALUE}.")
  private int sshPort;

  @Option(names = "--ssh-key", paramLabel = "FILE", description = "Log in with this private key (not encrypted).")
  private Path sshKey;

  @Option(names = "--ssh-agent", description = "Log in with the keys of the ssh-agent at $SSH_AUTH_SOCK.")
  private boolean sshAgent;

  @Option(names = "--ssh-password-env", paramLabel = "VARIABLE",
      description = "Log in with the password in this environment variable.")
  private String sshPasswordVariable;

  @Option(names = "--known-hosts", paramLabel = "FILE",
      description = "The known_hosts file host keys are checked against. Default: ~/.ssh/known_hosts.")
  private Path knownHosts;

  @Option(names = "--insecure-accept-any-host-key",
      description = "Do not check host keys: for throw-away test hosts only.")
  private boolean insecureAcceptAnyHostKey;

  @Option(names = "--ssh-connect-timeout", paramLabel = "DURATION", defaultValue = "10s",
      description = "How long connecting over SSH may take. Default: ${DEFAULT-VALUE}.")
  private Duration sshConnectTimeout;

  /**
   * The step named {@code name} ({@code restart} or {@code rollback}, after its option) that runs
   * {@code command} ({@code {host}} replaced) within {@code timeout}: here with {@code sh -c}, or on
   * the host over SSH.
   *
   * @param secretEnv the variables of {@code environment} to hand to the command as secrets
   * @param environment reads an environment variable, or null
   * @param usage makes the usage error for a message
   */
  Step command(String name, String command, Duration timeout, List<String> secretEnv, Function<String, String> environment,
      Function<String, ParameterException> usage) {
    try {
      return configured(name, command, timeout, secretEnv, environment, usage);
    } catch (IllegalArgumentException e) {
      // A value a builder refuses, as it is given or at build(): a usage error of this option.
      throw usage.apply("--" + name + ": " + e.getMessage());
    }
  }

  private Step configured(String name, String command, Duration timeout, List<String> secretEnv,
      Function<String, String> environment, Function<String, ParameterException> usage) {
    if (sshUser == null) {
      if (sshKey != null || sshAgent || sshPasswordVariable != null || knownHosts != null || insecureAcceptAnyHostKey) {
        throw usage.apply("the --ssh-* options, --known-hosts and --insecure-accept-any-host-key need --ssh-user");
      }
      CommandStep.Builder local = CommandStep.builder().name(name).command("sh", "-c", command).timeout(timeout);
      secretEnv.forEach(variable -> local.secretEnv(variable, secret(variable, environment, usage)));
      return local.build();
    }
    SshCommandStep.Builder ssh = SshCommandStep.builder().name(name).user(sshUser).port(sshPort)
        .command(command).commandTimeout(timeout).connectTimeout(sshConnectTimeout);
    secretEnv.forEach(variable -> ssh.secretEnv(variable, secret(variable, environment, usage)));
    if (sshKey == null && !sshAgent && sshPasswordVariable == null) {
      throw usage.apply("--ssh-user needs a way to log in: --ssh-key FILE, --ssh-agent or --ssh-password-env VARIABLE");
    }
    if (sshKey != null) {
      ssh.privateKey(sshKey);
    }
    if (sshAgent) {
      ssh.agent();
    }
    if (sshPasswordVariable != null) {
      String password = environment.apply(sshPasswordVariable);
      if (password == null || password.isEmpty()) {
        throw usage.apply("--ssh-password-env names " + sshPasswordVariable + ", which is not set");
      }
      ssh.password(password);
    }
    if (insecureAcceptAnyHostKey) {
      if (knownHosts != null) {
        throw usage.apply("--known-hosts and --insecure-accept-any-host-key exclude each other: choose one");
      }
      ssh.insecureAcceptAnyHostKey();
    } else {
      ssh.knownHosts(knownHosts != null ? knownHosts : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
    }
    return ssh.build();
  }

  /** The value of {@code --secret-env NAME}; a usage error when it is not set. */
  private static String secret(String name, Function<String, String> environment,
      Function<String, ParameterException> usage) {
    String value = environment.apply(name);
    if (value == null || value.isEmpty()) {
      throw usage.apply("--secret-env names " + name + ", which is not set");
    }
    return value;
  }
}
