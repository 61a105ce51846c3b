package dev.shunt.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.shell.ProcessShellCommandFactory;

/**
 * A real SSH server in this JVM (Apache MINA SSHD) on 127.0.0.1 and a free port: it runs commands
 * with the real {@code /bin/sh}, takes {@link #PASSWORD} for {@link #USER}, and any public key in
 * the given authorized_keys file. Public for the command line's tests.
 */
public final class TestSshServer implements AutoCloseable {
  public static final String USER = "deploy";
  public static final String PASSWORD = "correct-horse-battery-staple";

  private final SshServer server;
  private final PublicKey hostKey;

  private TestSshServer(SshServer server, PublicKey hostKey) {
    this.server = server;
    this.hostKey = hostKey;
  }

  /** Starts a server whose host key lives in {@code dir} and that accepts the keys in {@code authorizedKeys}. */
  public static TestSshServer start(Path dir, Path authorizedKeys) throws IOException, GeneralSecurityException {
    SshServer server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(dir.resolve("host-key"));
    server.setKeyPairProvider(hostKeys);
    server.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
    server.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(authorizedKeys));
    server.setCommandFactory(ProcessShellCommandFactory.INSTANCE);
    server.start();
    return new TestSshServer(server, hostKeys.loadKeys(null).get(0).getPublic());
  }

  public int port() {
    return server.getPort();
  }

  public PublicKey hostKey() {
    return hostKey;
  }

  /** The host key's fingerprint as OpenSSH prints it, e.g. {@code SHA256:…}. */
  String hostKeyFingerprint() {
    return KeyUtils.getFingerPrint(hostKey);
  }

  /** Writes a known_hosts file that holds {@code key} for this server: {@code [127.0.0.1]:port type base64}. */
  public Path writeKnownHosts(Path file, PublicKey key) throws IOException {
    return Files.writeString(file, "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(key) + "\n");
  }

  /** Writes a known_hosts file that holds {@code key} for this machine's {@code port}: {@code [127.0.0.1]:port type base64}. */
  public static Path writeKnownHosts(Path file, PublicKey key, int port) throws IOException {
    return Files.writeString(file, "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(key) + "\n");
  }

  /**
   * Writes a known_hosts file that names this server, but only with a key of another type than
   * the one it offers: a pre-flight sees a key for the host, the connection finds its key unknown.
   */
  public Path writeKnownHostsOfAnotherKeyType(Path file) throws IOException, GeneralSecurityException {
    return writeKnownHosts(file, keyOfAnotherType());
  }

  /** A public key of another type than the host key (EC for an RSA host key, else RSA). */
  public PublicKey keyOfAnotherType() throws GeneralSecurityException {
    boolean rsa = hostKey.getAlgorithm().equals("RSA");
    KeyPairGenerator generator = KeyPairGenerator.getInstance(rsa ? "EC" : "RSA");
    generator.initialize(rsa ? 256 : 2048);
    return generator.generateKeyPair().getPublic();
  }

  /** A key pair of the same type as the host key, but another key. */
  public KeyPair otherHostKey() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(hostKey.getAlgorithm());
    generator.initialize(KeyUtils.getKeySize(hostKey));
    return generator.generateKeyPair();
  }

  /** Drops every connection at once, as a crashing host would. */
  void dropConnections() {
    server.getActiveSessions().forEach(session -> ((Session) session).close(true));
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }
}
