package io.migo.smtp.impl.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The service extensions a server advertised in its EHLO reply (RFC 5321 section 4.1.1.1), parsed once.
 *
 * <p>Parsing never throws on server text: a line that is not {@code keyword [params]} is ignored, because a server
 * that garbles an extension we may not even use should not stop the session. Keywords are case-insensitive and
 * stored upper-case. Immutable.
 */
public final class Capabilities {

  private static final Capabilities NONE = new Capabilities(Map.of(), Set.of());

  /** Upper-case keyword to its parameters as sent ("" when none), in the server's order. */
  private final Map<String, String> keywords;
  private final Set<String> authMechanisms;

  private Capabilities(Map<String, String> keywords, Set<String> authMechanisms) {
    this.keywords = keywords;
    this.authMechanisms = authMechanisms;
  }

  /** What a HELO session has: no extensions at all. */
  public static Capabilities none() {
    return NONE;
  }

  /**
   * Parses a positive EHLO reply. Its first line is the server's domain and greeting, not a keyword.
   *
   * @throws IllegalArgumentException if the reply is not 2yz: the caller must handle refusals before parsing
   */
  public static Capabilities parse(Reply ehloReply) {
    if (!ehloReply.isPositiveCompletion()) {
      throw new IllegalArgumentException("not a positive EHLO reply: " + ehloReply.code());
    }
    Map<String, String> keywords = new LinkedHashMap<>();
    Set<String> mechanisms = new LinkedHashSet<>();
    String legacyAuth = null;
    List<String> lines = ehloReply.lines();
    for (String raw : lines.subList(1, lines.size())) {
      String line = raw.strip();
      int space = line.indexOf(' ');
      String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
      String params = space < 0 ? "" : line.substring(space + 1).strip();
      if (keyword.startsWith("AUTH=")) {
        // Pre-RFC 2554 drafts wrote "AUTH=PLAIN LOGIN"; some servers still send only that form.
        String legacy = line.substring("AUTH=".length()).strip();
        addMechanisms(legacy, mechanisms);
        legacyAuth = legacyAuth == null ? legacy : legacyAuth;
      } else if (isKeyword(keyword)) {
        keywords.putIfAbsent(keyword, params);
        if (keyword.equals("AUTH")) {
          addMechanisms(params, mechanisms);
        }
      }
    }
    if (legacyAuth != null) {
      keywords.putIfAbsent("AUTH", legacyAuth);
    }
    return new Capabilities(Collections.unmodifiableMap(keywords), Collections.unmodifiableSet(mechanisms));
  }

  private static void addMechanisms(String params, Set<String> into) {
    for (String name : params.split("\\s+")) {
      if (!name.isEmpty()) {
        into.add(name.toUpperCase(Locale.ROOT));
      }
    }
  }

  /** RFC 5321: {@code ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")}. */
  private static boolean isKeyword(String s) {
    if (s.isEmpty() || s.charAt(0) == '-') {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** Whether the server advertised {@code keyword} (case-insensitive). */
  public boolean supports(String keyword) {
    return keywords.containsKey(keyword.toUpperCase(Locale.ROOT));
  }

  /** The parameters after {@code keyword} ("" when it has none), or {@code null} when not advertised. */
  public String parameters(String keyword) {
    return keywords.get(keyword.toUpperCase(Locale.ROOT));
  }

  /** RFC 2920: commands may be sent in groups without waiting for each reply. */
  public boolean pipelining() {
    return supports("PIPELINING");
  }

  /** RFC 3207. */
  public boolean startTls() {
    return supports("STARTTLS");
  }

  /** RFC 6152: {@code BODY=8BITMIME} may be declared. */
  public boolean eightBitMime() {
    return supports("8BITMIME");
  }

  /** RFC 6531: UTF-8 addresses and headers. */
  public boolean smtpUtf8() {
    return supports("SMTPUTF8");
  }

  /** RFC 3030: BDAT may replace DATA. */
  public boolean chunking() {
    return supports("CHUNKING");
  }

  /** RFC 3030: {@code BODY=BINARYMIME} (requires BDAT). */
  public boolean binaryMime() {
    return supports("BINARYMIME");
  }

  /** RFC 8689: the server takes {@code MAIL FROM:<…> REQUIRETLS} and honours it on later hops. */
  public boolean requireTls() {
    return supports("REQUIRETLS");
  }

  /** RFC 3461: delivery status notification parameters. */
  public boolean dsn() {
    return supports("DSN");
  }

  /** RFC 2034: replies carry RFC 3463 codes. */
  public boolean enhancedStatusCodes() {
    return supports("ENHANCEDSTATUSCODES");
  }

  /**
   * The message size limit from {@code SIZE n} (RFC 1870). Empty when SIZE was not advertised; {@code 0} when it was
   * advertised without a limit ({@code SIZE}, {@code SIZE 0}, or a value we cannot read): the {@code SIZE=}
   * parameter may be sent, but there is no fixed limit to check against.
   */
  public OptionalLong maxSize() {
    String params = parameters("SIZE");
    if (params == null) {
      return OptionalLong.empty();
    }
    if (params.isEmpty() || params.length() > 18 || !params.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.of(0);
    }
    return OptionalLong.of(Long.parseLong(params));
  }

  /** The SASL mechanisms from {@code AUTH ...} and the legacy {@code AUTH=...} lines, upper-case, in server order. */
  public Set<String> authMechanisms() {
    return authMechanisms;
  }

  /** The advertised keywords, e.g. {@code Capabilities[PIPELINING, SIZE, AUTH]}. */
  @Override
  public String toString() {
    return "Capabilities" + keywords.keySet();
  }
}
