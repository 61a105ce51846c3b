package dev.shunt.workflow;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.Session;
import dev.shunt.workflow.SshException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How an {@link SshCommandStep} checks host keys: strictly against a known_hosts file, where an
 * unknown or changed key fails (never added to the file), or, only when asked, not at all. Says
 * what went wrong in words an operator can act on: the key the host offered, its fingerprint, and
 * the command that fixes it. For a port other than 22 the file names the host {@code [host]:port},
 * as OpenSSH writes it. Immutable and thread-safe.
 */
final class SshHostKeys {
  private final Path knownHosts;
  private final boolean acceptAny;

  /**
   * @param knownHosts the known_hosts file; null only with {@code acceptAny}
   * @param acceptAny whether every host key is accepted unchecked
   */
  SshHostKeys(Path knownHosts, boolean acceptAny) {
    this.knownHosts = knownHosts;
    this.acceptAny = acceptAny;
  }

  /** Reads the known_hosts file into {@code jsch}: before the session is made, as JSch wants it. */
  void load(JSch jsch) throws JSchException {
    if (knownHosts != null) {
      jsch.setKnownHosts(knownHosts.toString());
    }
  }

  /** Makes {@code session} refuse a key the file does not hold, unless any key is accepted. */
  void configure(Session session) {
    session.setConfig("StrictHostKeyChecking", acceptAny ? "no" : "yes");
  }

  /**
   * Why the host key of {@code address} would be refused, found without connecting: the file
   * is missing or unreadable, or holds no key under the name SSH looks for. Empty when any key
   * is accepted.
   */
  Optional<String> preflightProblem(HostAndPort address) {
    if (acceptAny) {
      return Optional.empty();
    }
    if (!Files.isReadable(knownHosts)) {
      return Optional.of("SSH host keys: " + knownHosts + (Files.exists(knownHosts) ? " cannot be read"
          : " does not exist") + ", so the host key of " + address + " cannot be checked."
          + " Check the key's fingerprint with the host's owner, then add it: " + keyscan(address));
    }
    try {
      JSch jsch = new JSch();
      jsch.setKnownHosts(knownHosts.toString());
      HostKey[] keys = jsch.getHostKeyRepository().getHostKey(knownName(address), null);
      if (keys == null || keys.length == 0) {
        return Optional.of("SSH host keys: " + knownHosts + " has no key for " + knownName(address)
            + ", so the connection would be refused. Check the key's fingerprint with the host's owner, then add"
            + " it: " + keyscan(address));
      }
      return Optional.empty();
    } catch (JSchException e) {
      return Optional.of("SSH host keys: cannot read " + knownHosts + ": " + e.getMessage());
    }
  }

  /** Says which key the host offered, what known_hosts holds instead, and the command that fixes it. */
  SshException refused(JSchHostKeyException e, JSch jsch, HostKey offered, HostAndPort address) {
    String key = offered == null ? "a key" : offered.getType() + " key " + offered.getFingerPrint(jsch);
    if (e instanceof JSchUnknownHostKeyException) {
      String where = Files.exists(knownHosts) ? knownHosts + " has no key for it" : knownHosts + " does not exist";
      return new SshException(Kind.HOST_KEY_UNKNOWN, "unknown host key for " + address + ": the host offered " + key
          + " and " + where + ". Check that fingerprint with the host's owner, then add the key: " + keyscan(address), e);
    }
    if (e instanceof JSchChangedHostKeyException) {
      return new SshException(Kind.HOST_KEY_CHANGED, "host key for " + address + " has CHANGED: the host offered " + key
          + ", not the key " + knownHosts + " holds for it. Someone may be intercepting the connection, or the host was"
          + " reinstalled. Only if the change is expected, replace the old key: ssh-keygen -R '" + knownName(address)
          + "' -f " + knownHosts + " && " + keyscan(address), e);
    }
    return new SshException(Kind.HOST_KEY_REJECTED, "host key for " + address + " rejected (" + key + "): " + e.getMessage(), e);
  }

  /** The name known_hosts holds the host's key under: {@code host}, or {@code [host]:port} for another port than 22. */
  private static String knownName(HostAndPort address) {
    return address.port() == 22 ? address.host() : "[" + address.host() + "]:" + address.port();
  }

  /** The command that adds the host's key to the file. */
  private String keyscan(HostAndPort address) {
    return "ssh-keyscan" + (address.port() == 22 ? "" : " -p " + address.port()) + " " + address.host() + " >> "
        + knownHosts;
  }

  /** What checks host keys, for descriptions: the file, or {@code ANY (insecure)}. */
  Object describe() {
    return acceptAny ? "ANY (insecure)" : knownHosts;
  }

  /** The setting for {@code toString()}. */
  @Override
  public String toString() {
    return acceptAny ? "insecureAcceptAnyHostKey" : "knownHosts=" + knownHosts;
  }
}
