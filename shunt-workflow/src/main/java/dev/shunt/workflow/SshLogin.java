package dev.shunt.workflow;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UnixDomainSocketFactory;
import dev.shunt.workflow.SshException.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How an {@link SshCommandStep} logs in: a private key file (with its passphrase if encrypted) or
 * the keys of an ssh-agent, and/or a password, keys offered first. The password and the
 * passphrase go to JSch and nowhere else: {@link #offered()} and {@link #settings()} name the
 * credentials, never their values. Immutable and thread-safe.
 */
final class SshLogin {
  private final Path privateKey;
  private final String passphrase;
  private final boolean agent;
  private final Path agentSocket;
  private final String password;

  /**
   * @param privateKey a key file, or null
   * @param passphrase the key's passphrase, or null when it is not encrypted
   * @param agent whether to use the keys of an ssh-agent
   * @param agentSocket the agent's socket, or null for {@code SSH_AUTH_SOCK} when the step runs
   * @param password a password, or null
   */
  SshLogin(Path privateKey, String passphrase, boolean agent, Path agentSocket, String password) {
    this.privateKey = privateKey;
    this.passphrase = passphrase;
    this.agent = agent;
    this.agentSocket = agentSocket;
    this.password = password;
  }

  /**
   * Gives {@code jsch} the keys to offer: the key file's, or the agent's.
   *
   * @throws SshException of kind {@link Kind#AUTH_FAILED} when the key cannot be used (unreadable,
   *     or encrypted without its passphrase) or no agent answers
   */
  void addKeys(JSch jsch, HostAndPort address) {
    if (privateKey != null) {
      addPrivateKey(jsch, address);
    }
    if (agent) {
      useAgent(jsch, address);
    }
  }

  /** Sets the methods {@code session} tries, in order, and the password, if any. */
  void configure(Session session) {
    List<String> methods = new ArrayList<>();
    if (privateKey != null || agent) {
      methods.add("publickey");
    }
    if (password != null) {
      methods.add("password");
      session.setPassword(password.getBytes(StandardCharsets.UTF_8));
    }
    session.setConfig("PreferredAuthentications", String.join(",", methods));
  }

  private void addPrivateKey(JSch jsch, HostAndPort address) {
    try {
      jsch.addIdentity(privateKey.toString(), passphrase == null ? null : passphrase.getBytes(StandardCharsets.UTF_8));
      for (Identity identity : jsch.getIdentityRepository().getIdentities()) {
        if (identity.isEncrypted()) {
          throw new SshException(Kind.AUTH_FAILED, "cannot log in to " + address + ": private key " + privateKey
              + " is encrypted; give its passphrase with privateKey(path, passphrase)");
        }
      }
    } catch (JSchException e) {
      throw new SshException(Kind.AUTH_FAILED,
          "cannot log in to " + address + ": cannot use private key " + privateKey + ": " + e.getMessage(), e);
    }
  }

  private void useAgent(JSch jsch, HostAndPort address) {
    Path socket = agentSocket;
    if (socket == null) {
      String variable = System.getenv("SSH_AUTH_SOCK");
      if (variable == null || variable.isBlank()) {
        throw new SshException(Kind.AUTH_FAILED,
            "cannot log in to " + address + ": agent() is set but SSH_AUTH_SOCK is not: is ssh-agent running?");
      }
      socket = Path.of(variable);
    }
    SSHAgentConnector connector;
    try {
      connector = new SSHAgentConnector(new UnixDomainSocketFactory(), socket);
    } catch (AgentProxyException e) {
      throw new SshException(Kind.AUTH_FAILED, "cannot log in to " + address + ": cannot reach ssh-agent: " + e.getMessage(), e);
    }
    if (!connector.isAvailable()) {
      throw new SshException(Kind.AUTH_FAILED, "cannot log in to " + address + ": no ssh-agent answers at " + socket);
    }
    jsch.setIdentityRepository(new AgentIdentityRepository(connector));
  }

  /** Which credentials were offered, for messages, e.g. {@code private key /k and the password}. */
  String offered() {
    List<String> offered = new ArrayList<>();
    if (privateKey != null) {
      offered.add("private key " + privateKey);
    }
    if (agent) {
      offered.add("the keys of ssh-agent");
    }
    if (password != null) {
      offered.add("the password");
    }
    return String.join(" and ", offered);
  }

  /** The settings for {@code toString()}, with {@code ***} in place of the password and the passphrase. */
  List<String> settings() {
    List<String> settings = new ArrayList<>();
    if (privateKey != null) {
      settings.add("privateKey=" + privateKey + (passphrase == null ? "" : ", passphrase=***"));
    }
    if (agent) {
      settings.add("agent=" + (agentSocket == null ? "SSH_AUTH_SOCK" : agentSocket));
    }
    if (password != null) {
      settings.add("password=***");
    }
    return settings;
  }
}
