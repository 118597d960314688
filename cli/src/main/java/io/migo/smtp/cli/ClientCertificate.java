package io.migo.smtp.cli;

import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The client certificate options of {@link RelayOptions}: a PEM certificate and key ({@code --client-cert},
 * {@code --client-key}), or a PKCS#12 keystore ({@code --client-keystore} with its password), checked together and
 * turned into Vert.x's {@link KeyCertOptions}. The keystore password is a secret: messages never show it.
 */
final class ClientCertificate {

  private ClientCertificate() {
  }

  /** The usage error for these arguments, or null when they fit together and the files can be read. */
  static String problem(Path cert, Path key, Path keystore, boolean keystorePasswordGiven) {
    if (keystore != null && (cert != null || key != null)) {
      return "--client-keystore cannot be combined with --client-cert/--client-key: give a PKCS#12 keystore or a "
        + "PEM certificate and key, not both";
    }
    if ((cert == null) != (key == null)) {
      return cert == null ? "--client-key needs --client-cert" : "--client-cert needs --client-key";
    }
    if (keystorePasswordGiven && keystore == null) {
      return "--client-keystore-password and --client-keystore-password-env need --client-keystore";
    }
    for (Path[] file : new Path[][] {{cert}, {key}, {keystore}}) {
      if (file[0] != null && !Files.isReadable(file[0])) {
        return "client certificate file is not readable: " + file[0];
      }
    }
    return null;
  }

  /** The key and certificate to present, or null for none. */
  static KeyCertOptions options(Path cert, Path key, Path keystore, String keystorePassword) {
    if (keystore != null) {
      return new PfxOptions().setPath(keystore.toString()).setPassword(keystorePassword);
    }
    if (cert != null) {
      return new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString());
    }
    return null;
  }
}
