package io.migo.smtp.cli;

import io.migo.smtp.DkimAlgorithm;
import io.migo.smtp.DkimOptions;
import io.migo.smtp.SmtpClientOptions;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;

/**
 * DKIM signing of every message a command sends: {@code --dkim-key FILE --dkim-domain D --dkim-selector S
 * [--dkim-algorithm A]}. A picocli mixin shared by {@code send} and {@code bulk}; orders 50-53 in the help. The key is
 * read while the arguments are checked, so a bad key file is a usage error before any connection.
 */
final class DkimSigningOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = "--dkim-key", order = 50, paramLabel = "FILE",
    description = "DKIM-sign every message with the private key in this PEM file (PKCS#8, or PKCS#1 for RSA); "
      + "needs --dkim-domain and --dkim-selector.")
  Path key;

  @Option(names = "--dkim-domain", order = 51, paramLabel = "DOMAIN",
    description = "The signing domain (d=), e.g. example.com.")
  String domain;

  @Option(names = "--dkim-selector", order = 52, paramLabel = "SELECTOR",
    description = "The selector (s=): the public key is published at SELECTOR._domainkey.DOMAIN.")
  String selector;

  @Option(names = "--dkim-algorithm", order = 53, paramLabel = "ALGORITHM",
    converter = AlgorithmConverter.class, completionCandidates = AlgorithmCandidates.class,
    description = "${COMPLETION-CANDIDATES} (default: the key's type). Signatures are relaxed/relaxed, From "
      + "over-signed.")
  DkimAlgorithm algorithm;

  private DkimOptions options;

  /** Checks that the options come together and reads the key; a usage error naming the option otherwise. */
  void check() {
    boolean any = key != null || domain != null || selector != null || algorithm != null;
    if (!any) {
      return;
    }
    if (key == null || domain == null || selector == null) {
      throw usage("DKIM signing needs --dkim-key, --dkim-domain and --dkim-selector together (missing: "
        + (key == null ? "--dkim-key " : "") + (domain == null ? "--dkim-domain " : "")
        + (selector == null ? "--dkim-selector" : "").trim() + ")");
    }
    try {
      DkimOptions o = new DkimOptions().setDomain(domain).setSelector(selector).setPrivateKeyPath(key);
      if (algorithm != null) {
        o.setAlgorithm(algorithm);
      }
      options = o.validate();
    } catch (IllegalArgumentException e) {
      throw usage("--dkim-*: " + e.getMessage());
    }
  }

  /** Sets the signing on {@code client} when asked for; returns it. Call {@link #check()} first. */
  SmtpClientOptions applyTo(SmtpClientOptions client) {
    return options == null ? client : client.setDkim(options);
  }

  private ParameterException usage(String message) {
    return new ParameterException(mixee.commandLine(), message);
  }

  static final class AlgorithmConverter implements ITypeConverter<DkimAlgorithm> {
    @Override
    public DkimAlgorithm convert(String value) {
      try {
        return DkimAlgorithm.ofTag(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("expected rsa-sha256 or ed25519-sha256 but was '" + value + "'");
      }
    }
  }

  static final class AlgorithmCandidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(DkimAlgorithm.values()).map(DkimAlgorithm::tag).iterator();
    }
  }
}
