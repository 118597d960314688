package io.migo.smtp;

import io.migo.smtp.impl.dkim.PemKeys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Provider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * DKIM signing (RFC 6376, RFC 8463 for Ed25519): the signing domain ({@code d=}), the selector ({@code s=}) under
 * which its public key is published at {@code <selector>._domainkey.<domain>}, the private key, and what is signed.
 * Set on {@link SmtpClientOptions#setDkim}: every message the client sends is then signed, over exactly the bytes that
 * go on the wire.
 *
 * <p>Defaults: relaxed/relaxed canonicalization, the {@linkplain #DEFAULT_SIGNED_HEADERS usual header list} (only the
 * fields a message has are signed), From over-signed (so that a second From cannot be added without breaking the
 * signature, RFC 6376 §8.15), a {@code t=} timestamp, no expiration, no {@code i=}. The body length tag {@code l=} is
 * not offered: it lets anyone append content under the signature.
 *
 * <p>The algorithm is the key's unless set: RSA keys sign with {@code rsa-sha256}, Ed25519 keys with
 * {@code ed25519-sha256}. The key is read when it is set (PKCS#8 PEM, or PKCS#1 PEM for RSA), so a bad key fails at
 * configuration, not at the first send; {@link #toString()} never shows it. Copied when handed to the client, never
 * mutated by it.
 */
public class DkimOptions {

  /**
   * RFC 6376 §5.4.1's recommendation and the fields whose change alters what a reader sees or how the message is
   * decoded. Only those present in a message are signed.
   */
  public static final List<String> DEFAULT_SIGNED_HEADERS = List.of(
    "From", "Reply-To", "Sender", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
    "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Content-ID", "Content-Description",
    "Resent-Date", "Resent-From", "Resent-Sender", "Resent-To", "Resent-Cc", "Resent-Message-ID",
    "List-Id", "List-Help", "List-Unsubscribe", "List-Unsubscribe-Post", "List-Subscribe", "List-Post",
    "List-Owner", "List-Archive");
  /** Listed once more than they occur, so that adding another instance breaks the signature. */
  public static final List<String> DEFAULT_OVER_SIGNED_HEADERS = List.of("From");

  private static final Pattern DOMAIN = Pattern.compile(
    "(?i)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");
  private static final Pattern SELECTOR = Pattern.compile(
    "(?i)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*");
  /** A header name as RFC 5322 §3.6.8 has it: printable US-ASCII except the colon. */
  private static final Pattern FIELD_NAME = Pattern.compile("[!-9;-~]+");
  /** The local part of {@code i=}: printable US-ASCII without the characters that would need quoting in a tag. */
  private static final Pattern IDENTITY_LOCAL = Pattern.compile("[!-:<>?-~]*");

  private String domain;
  private String selector;
  private DkimAlgorithm algorithm;
  private PrivateKey privateKey;
  private DkimCanonicalization headerCanonicalization = DkimCanonicalization.RELAXED;
  private DkimCanonicalization bodyCanonicalization = DkimCanonicalization.RELAXED;
  private List<String> signedHeaders = DEFAULT_SIGNED_HEADERS;
  private List<String> overSignedHeaders = DEFAULT_OVER_SIGNED_HEADERS;
  private String identity;
  private Duration expiration;
  private boolean timestamp = true;
  private Provider provider;

  public DkimOptions() {
  }

  public DkimOptions(DkimOptions other) {
    this.domain = other.domain;
    this.selector = other.selector;
    this.algorithm = other.algorithm;
    this.privateKey = other.privateKey;
    this.headerCanonicalization = other.headerCanonicalization;
    this.bodyCanonicalization = other.bodyCanonicalization;
    this.signedHeaders = other.signedHeaders;
    this.overSignedHeaders = other.overSignedHeaders;
    this.identity = other.identity;
    this.expiration = other.expiration;
    this.timestamp = other.timestamp;
    this.provider = other.provider;
  }

  public String getDomain() {
    return domain;
  }

  /** The signing domain ({@code d=}), e.g. {@code example.com}: a domain name of at least two labels. */
  public DkimOptions setDomain(String domain) {
    if (domain == null || !DOMAIN.matcher(domain).matches() || domain.length() > 253) {
      throw new IllegalArgumentException("the DKIM domain must be a domain name such as example.com: "
        + printable(domain));
    }
    this.domain = domain;
    return this;
  }

  public String getSelector() {
    return selector;
  }

  /** The selector ({@code s=}): the key record is looked up at {@code <selector>._domainkey.<domain>}. */
  public DkimOptions setSelector(String selector) {
    if (selector == null || !SELECTOR.matcher(selector).matches()) {
      throw new IllegalArgumentException("the DKIM selector must be one or more DNS labels (letters, digits, '-', "
        + "'_'), such as mail2026: " + printable(selector));
    }
    this.selector = selector;
    return this;
  }

  /** The algorithm set, or else the one the key needs; {@code null} while neither is set. */
  public DkimAlgorithm getAlgorithm() {
    if (algorithm != null || privateKey == null) {
      return algorithm;
    }
    return "RSA".equals(privateKey.getAlgorithm()) ? DkimAlgorithm.RSA_SHA256 : DkimAlgorithm.ED25519_SHA256;
  }

  /** The algorithm ({@code a=}); unset, it follows the key. It must match the key's type. */
  public DkimOptions setAlgorithm(DkimAlgorithm algorithm) {
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    return this;
  }

  public PrivateKey getPrivateKey() {
    return privateKey;
  }

  /** An RSA or Ed25519 private key (Ed25519 keys are named "Ed25519" or "EdDSA" by the JDK). */
  public DkimOptions setPrivateKey(PrivateKey privateKey) {
    Objects.requireNonNull(privateKey, "privateKey");
    String type = privateKey.getAlgorithm();
    if (!"RSA".equals(type) && !"Ed25519".equals(type) && !"EdDSA".equals(type)) {
      throw new IllegalArgumentException("a DKIM key is RSA or Ed25519, not " + type);
    }
    this.privateKey = privateKey;
    return this;
  }

  /** The private key from PEM text: PKCS#8 ({@code BEGIN PRIVATE KEY}), or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}). */
  public DkimOptions setPrivateKeyPem(String pem) {
    return setPrivateKey(PemKeys.read(Objects.requireNonNull(pem, "pem")));
  }

  /** The private key from a PEM file, read now (see {@link #setPrivateKeyPem}). */
  public DkimOptions setPrivateKeyPath(Path path) {
    String pem;
    try {
      pem = Files.readString(path, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the DKIM key file " + path + ": " + e.getMessage(), e);
    }
    try {
      return setPrivateKeyPem(pem);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
  }

  public DkimCanonicalization getHeaderCanonicalization() {
    return headerCanonicalization;
  }

  public DkimOptions setHeaderCanonicalization(DkimCanonicalization headerCanonicalization) {
    this.headerCanonicalization = Objects.requireNonNull(headerCanonicalization, "headerCanonicalization");
    return this;
  }

  public DkimCanonicalization getBodyCanonicalization() {
    return bodyCanonicalization;
  }

  public DkimOptions setBodyCanonicalization(DkimCanonicalization bodyCanonicalization) {
    this.bodyCanonicalization = Objects.requireNonNull(bodyCanonicalization, "bodyCanonicalization");
    return this;
  }

  /** Sets both canonicalizations ({@code c=header/body}). */
  public DkimOptions setCanonicalization(DkimCanonicalization header, DkimCanonicalization body) {
    return setHeaderCanonicalization(header).setBodyCanonicalization(body);
  }

  public List<String> getSignedHeaders() {
    return signedHeaders;
  }

  /**
   * The header fields to sign, by name (any case): each instance a message has is signed; a name it lacks adds
   * nothing (unless over-signed). Must include From (RFC 6376 §5.4).
   */
  public DkimOptions setSignedHeaders(List<String> signedHeaders) {
    this.signedHeaders = names(signedHeaders, "signed");
    return this;
  }

  public List<String> getOverSignedHeaders() {
    return overSignedHeaders;
  }

  /**
   * The header fields listed in {@code h=} once more than the message has them (RFC 6376 §8.15), so that adding one
   * breaks the signature; a name the message lacks is then listed once, so that none may be added. Empty for none.
   */
  public DkimOptions setOverSignedHeaders(List<String> overSignedHeaders) {
    this.overSignedHeaders = names(overSignedHeaders, "over-signed");
    return this;
  }

  public String getIdentity() {
    return identity;
  }

  /**
   * The agent or user identifier ({@code i=}), {@code [local-part]@domain} where the domain is the signing domain or
   * one of its subdomains; {@code null} (the default) leaves it out, which means {@code @<domain>}.
   */
  public DkimOptions setIdentity(String identity) {
    if (identity != null) {
      int at = identity.lastIndexOf('@');
      if (at < 0 || !IDENTITY_LOCAL.matcher(identity.substring(0, at)).matches()
        || !DOMAIN.matcher(identity.substring(at + 1)).matches()) {
        throw new IllegalArgumentException("the DKIM identity (i=) must be [local-part]@domain, in printable ASCII "
          + "without ';', '=' or spaces: " + printable(identity));
      }
    }
    this.identity = identity;
    return this;
  }

  public Duration getExpiration() {
    return expiration;
  }

  /**
   * How long after signing the signature expires ({@code x=}, in whole seconds after {@code t=}); {@code null} (the
   * default) for never. Needs the timestamp.
   */
  public DkimOptions setExpiration(Duration expiration) {
    if (expiration != null && expiration.getSeconds() < 1) {
      throw new IllegalArgumentException("the DKIM expiration must be at least one second: " + expiration);
    }
    this.expiration = expiration;
    return this;
  }

  public boolean isTimestamp() {
    return timestamp;
  }

  /** Whether the signature carries its time ({@code t=}); true by default. */
  public DkimOptions setTimestamp(boolean timestamp) {
    this.timestamp = timestamp;
    return this;
  }

  public Provider getProvider() {
    return provider;
  }

  /**
   * The JCA provider that signs; {@code null} (the default) for the JDK's own. The JDK 17 Ed25519 signature costs
   * about as much CPU as an RSA 2048 one; a faster provider (e.g. BouncyCastle's, which the caller adds to its own
   * class path) makes signing much cheaper (see DkimSignBenchmark). Shared, not copied, with the options.
   */
  public DkimOptions setProvider(Provider provider) {
    this.provider = provider;
    return this;
  }

  /**
   * Checks that the options can sign: domain, selector and key set, the key's type that of the algorithm, From among
   * the signed headers, the identity within the domain, an expiration only with a timestamp.
   *
   * @throws IllegalArgumentException naming what to fix
   */
  public DkimOptions validate() {
    if (domain == null || selector == null || privateKey == null) {
      throw new IllegalArgumentException("DKIM signing needs a domain, a selector and a private key (missing: "
        + (domain == null ? "domain " : "") + (selector == null ? "selector " : "")
        + (privateKey == null ? "private key" : "").trim() + ")");
    }
    DkimAlgorithm a = getAlgorithm();
    boolean rsaKey = "RSA".equals(privateKey.getAlgorithm());
    if (rsaKey != (a == DkimAlgorithm.RSA_SHA256)) {
      throw new IllegalArgumentException("the DKIM algorithm " + a.tag() + " needs an " + a.keyAlgorithm()
        + " key, but the key is " + privateKey.getAlgorithm());
    }
    if (signedHeaders.stream().noneMatch("From"::equalsIgnoreCase)) {
      throw new IllegalArgumentException("the DKIM signed headers must include From (RFC 6376 §5.4)");
    }
    if (identity != null) {
      String idDomain = identity.substring(identity.lastIndexOf('@') + 1);
      if (!idDomain.equalsIgnoreCase(domain) && !idDomain.toLowerCase().endsWith("." + domain.toLowerCase())) {
        throw new IllegalArgumentException("the DKIM identity's domain " + idDomain + " must be " + domain
          + " or one of its subdomains (RFC 6376 §3.5, i=)");
      }
    }
    if (expiration != null && !timestamp) {
      throw new IllegalArgumentException("a DKIM expiration (x=) is counted from the timestamp (t=): enable it");
    }
    return this;
  }

  private static List<String> names(List<String> names, String what) {
    List<String> copy = new ArrayList<>(names.size());
    for (String name : names) {
      if (name == null || !FIELD_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("a DKIM " + what + " header name must be printable ASCII without ':' "
          + "or spaces: " + printable(name));
      }
      if (copy.stream().noneMatch(name::equalsIgnoreCase)) {
        copy.add(name);
      }
    }
    return List.copyOf(copy);
  }

  private static String printable(String s) {
    return s == null ? "null" : "'" + s.replaceAll("\\p{Cntrl}", "?") + "'";
  }

  /** The key's type, never the key. */
  @Override
  public String toString() {
    DkimAlgorithm a = getAlgorithm();
    return "DkimOptions[d=" + domain + ", s=" + selector + ", a=" + (a == null ? null : a.tag()) + ", c="
      + headerCanonicalization.tag() + "/" + bodyCanonicalization.tag() + "]";
  }
}
