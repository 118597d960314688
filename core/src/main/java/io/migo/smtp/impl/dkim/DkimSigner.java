package io.migo.smtp.impl.dkim;

import io.migo.smtp.DkimAlgorithm;
import io.migo.smtp.DkimCanonicalization;
import io.migo.smtp.DkimOptions;
import io.migo.smtp.SmtpException;
import io.migo.smtp.SmtpException.Reason;
import io.migo.smtp.SmtpPhase;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Signs messages with one {@link DkimOptions} (copied and validated here). Immutable and thread-safe: each message gets
 * its own {@link MessageSigning}; {@link #sign} does a whole message in one call.
 */
public final class DkimSigner {

  private final DkimOptions options;
  private final DkimAlgorithm algorithm;
  private final HeaderSignature headerSignature;
  private final String canonicalization;
  private final Clock clock;

  public DkimSigner(DkimOptions options, Clock clock) {
    this.options = new DkimOptions(options).validate();
    this.algorithm = this.options.getAlgorithm();
    this.headerSignature = new HeaderSignature(algorithm, this.options.getPrivateKey(),
      this.options.getProvider());
    this.canonicalization = this.options.getHeaderCanonicalization().tag() + "/"
      + this.options.getBodyCanonicalization().tag();
    this.clock = clock;
  }

  /** A signing of one message, fed with {@link MessageSigning#update}. */
  public MessageSigning start() {
    return new MessageSigning(this, BodyHasher.of(options.getBodyCanonicalization()));
  }

  /** {@code content} with its DKIM-Signature field in front. */
  public Buffer sign(Buffer content) {
    MessageSigning signing = start();
    signing.update(content);
    Buffer field = signing.finish();
    return Buffer.buffer(field.length() + content.length()).appendBuffer(field).appendBuffer(content);
  }

  Buffer signatureField(List<HeaderField> fields, byte[] bodyHash) {
    List<String> names = signedNames(fields);
    SignatureField field = new SignatureField()
      .tag("v", "1")
      .tag("a", algorithm.tag())
      .tag("c", canonicalization)
      .tag("d", options.getDomain())
      .tag("s", options.getSelector());
    if (options.isTimestamp()) {
      long now = clock.instant().getEpochSecond();
      field.tag("t", Long.toString(now));
      if (options.getExpiration() != null) {
        field.tag("x", Long.toString(now + options.getExpiration().getSeconds()));
      }
    }
    if (options.getIdentity() != null) {
      field.tag("i", options.getIdentity());
    }
    String template = field.headers(names)
      .tag("bh", Base64.getEncoder().encodeToString(bodyHash))
      .template();
    DkimCanonicalization headerCanonicalization = options.getHeaderCanonicalization();
    String signature = headerSignature.sign(headerCanonicalization, fields, names, template);
    return Buffer.buffer((SignatureField.withSignature(template, signature) + "\r\n")
      .getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The {@code h=} list: each configured name once per instance in the message, over-signed names once more (so an
   * absent one once); From must be there.
   */
  private List<String> signedNames(List<HeaderField> fields) {
    List<String> names = new ArrayList<>();
    for (String name : options.getSignedHeaders()) {
      int count = count(fields, name);
      if (count == 0 && "From".equalsIgnoreCase(name)) {
        throw new SmtpException(SmtpPhase.INPUT, Reason.INVALID_INPUT,
          "the message has no From header, which a DKIM signature must cover (RFC 6376 §5.4)");
      }
      for (int i = 0; i < count; i++) {
        names.add(name);
      }
    }
    for (String name : options.getOverSignedHeaders()) {
      names.add(name);
      if (options.getSignedHeaders().stream().noneMatch(name::equalsIgnoreCase)) {
        // Not signed otherwise: every instance it has, then the extra one.
        for (int i = count(fields, name); i > 0; i--) {
          names.add(name);
        }
      }
    }
    return names;
  }

  private static int count(List<HeaderField> fields, String name) {
    int count = 0;
    for (HeaderField f : fields) {
      if (f.hasName(name)) {
        count++;
      }
    }
    return count;
  }

  @Override
  public String toString() {
    return "DkimSigner[" + options + "]";
  }
}
