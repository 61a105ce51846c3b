package dev.shunt.workflow;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import com.jcraft.jsch.Session;
import dev.shunt.workflow.SshException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Opens an {@link SshCommandStep}'s SSH session: a new {@link JSch} per connection, logged in as
 * {@code user} with the {@link SshLogin}, host keys checked by the {@link SshHostKeys}. The TCP
 * connect, the handshake and the login must each finish within {@code connectTimeout}; once
 * connected, a keep-alive goes out every {@code connectTimeout}, and three unanswered ones end
 * the session. Every failure is an {@link SshException} whose kind says what went wrong.
 * Immutable and thread-safe; the sessions it opens are the caller's to disconnect.
 */
final class SshConnector {
  private static final int KEEPALIVES_MISSED_BEFORE_DISCONNECT = 3;

  private final String user;
  private final SshLogin login;
  private final SshHostKeys hostKeys;
  private final Duration connectTimeout;

  SshConnector(String user, SshLogin login, SshHostKeys hostKeys, Duration connectTimeout) {
    this.user = user;
    this.login = login;
    this.hostKeys = hostKeys;
    this.connectTimeout = connectTimeout;
  }

  /**
   * A session to {@code address}, connected and logged in.
   *
   * @throws SshException when it cannot connect, log in or trust the host's key
   */
  Session connect(HostAndPort address) {
    JSch jsch = new JSch();
    login.addKeys(jsch, address);
    Session session = null;
    try {
      hostKeys.load(jsch);
      session = jsch.getSession(user, address.host(), address.port());
      hostKeys.configure(session);
      login.configure(session);
      session.setDaemonThread(true);
      session.setServerAliveInterval(millis(connectTimeout));
      session.setServerAliveCountMax(KEEPALIVES_MISSED_BEFORE_DISCONNECT);
      session.connect(millis(connectTimeout));
      return session;
    } catch (JSchException e) {
      throw failure(e, jsch, session, address);
    }
  }

  private SshException failure(JSchException e, JSch jsch, Session session, HostAndPort address) {
    if (e instanceof JSchHostKeyException) {
      return hostKeys.refused((JSchHostKeyException) e, jsch, session.getHostKey(), address);
    }
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException) {
        boolean timedOut = String.valueOf(cause.getMessage()).contains("timed out");
        return new SshException(timedOut ? Kind.CONNECT_TIMEOUT : Kind.CONNECTION_REFUSED,
            "cannot connect to " + address + ": " + cause.getMessage(), e);
      }
      if (cause instanceof SocketTimeoutException) {
        return new SshException(Kind.CONNECT_TIMEOUT,
            "cannot connect to " + address + ": no answer within " + connectTimeout, e);
      }
      if (cause instanceof UnknownHostException) {
        return new SshException(Kind.UNKNOWN_HOST, "cannot connect to " + address + ": unknown host " + address.host(), e);
      }
      if (cause instanceof IOException) {
        return new SshException(Kind.NETWORK, "cannot connect to " + address + ": " + cause, e);
      }
    }
    String message = String.valueOf(e.getMessage());
    if (message.startsWith("Auth fail") || message.startsWith("Auth cancel")) {
      return new SshException(Kind.AUTH_FAILED,
          "cannot log in to " + address + " as " + user + ": the server refused " + login.offered(), e);
    }
    if (message.startsWith("connection is closed by foreign host")) {
      return new SshException(Kind.NETWORK, "cannot connect to " + address + ": the server hung up during the handshake", e);
    }
    return new SshException(Kind.OTHER, "cannot connect to " + address + ": " + message, e);
  }

  /** Milliseconds for JSch, where 0 means "no limit": a positive duration stays at least 1 ms. */
  static int millis(Duration duration) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, duration.toMillis()));
  }
}
