package io.migo.smtp.impl.protocol;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * What may follow EHLO or HELO (RFC 5321 section 4.1.4): a domain name, or when the client has no meaningful name,
 * an address literal. Strict servers (Postfix {@code reject_invalid_helo_hostname}) refuse anything else, so a bad
 * name is better refused here, with a clear message, than by the server after connecting.
 */
public final class EhloNames {

  private static final int MAX_DOMAIN = 255;
  private static final int MAX_LABEL = 63;

  private EhloNames() {
  }

  /**
   * Whether {@code name} is an RFC 5321 {@code Domain} (dot-separated labels of ASCII letters, digits and hyphens,
   * not starting or ending with a hyphen, at most 63 characters each and 255 in all, no trailing dot) or an address
   * literal {@code [192.0.2.1]} / {@code [IPv6:2001:db8::1]}.
   */
  public static boolean isValid(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    if (name.startsWith("[") && name.endsWith("]")) {
      String inner = name.substring(1, name.length() - 1);
      if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
        return isIpv6(inner.substring(5));
      }
      return isIpv4(inner);
    }
    return isDomain(name);
  }

  /**
   * The address literal for {@code address}, e.g. {@code [192.0.2.1]} or {@code [IPv6:2001:db8:0:0:0:0:0:1]}: the
   * EHLO argument for a client whose host name is not a valid, resolvable domain. An IPv6 scope ({@code %eth0}) is
   * dropped: it only means something on the sending host.
   */
  public static String addressLiteral(InetAddress address) {
    String host = address.getHostAddress();
    if (address instanceof Inet6Address) {
      int scope = host.indexOf('%');
      return "[IPv6:" + (scope < 0 ? host : host.substring(0, scope)) + "]";
    }
    return "[" + host + "]";
  }

  /**
   * The address literal for a textual IP address such as {@code SocketAddress.hostAddress()} gives
   * ({@code 192.0.2.1}, {@code 2001:db8:0:0:0:0:0:1}, optionally with a {@code %scope}, which is dropped). Works on
   * the text alone, so a host name can never trigger a DNS lookup here.
   *
   * @throws IllegalArgumentException when {@code ipAddress} is not an IPv4 or IPv6 address
   */
  public static String addressLiteral(String ipAddress) {
    int scope = ipAddress.indexOf('%');
    String host = scope < 0 ? ipAddress : ipAddress.substring(0, scope);
    String literal = host.indexOf(':') >= 0 ? "[IPv6:" + host + "]" : "[" + host + "]";
    if (!isValid(literal)) {
      throw new IllegalArgumentException("not an IP address: " + ipAddress);
    }
    return literal;
  }

  private static boolean isDomain(String name) {
    if (name.length() > MAX_DOMAIN) {
      return false;
    }
    for (String label : name.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > MAX_LABEL
          || label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
        return false;
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        if (!(isAsciiLetter(c) || isDigit(c) || c == '-')) {
          return false;
        }
      }
    }
    return true;
  }

  /** {@code Snum 3("." Snum)}, each Snum one to three digits with a value up to 255. */
  private static boolean isIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(EhloNames::isDigit)
          || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  /**
   * RFC 5321's IPv6-addr: eight groups of 1–4 hex digits, or at most six around one {@code "::"}; an embedded IPv4
   * tail counts as two groups (so its forms follow from the same rule).
   */
  private static boolean isIpv6(String s) {
    int lastColon = s.lastIndexOf(':');
    if (lastColon < 0) {
      return false;
    }
    String tail = s.substring(lastColon + 1);
    if (tail.indexOf('.') >= 0) {
      if (!isIpv4(tail)) {
        return false;
      }
      s = s.substring(0, lastColon + 1) + "0:0";
    }
    int gap = s.indexOf("::");
    if (gap < 0) {
      return hexGroups(s) == 8;
    }
    if (s.indexOf("::", gap + 1) >= 0) {
      return false;
    }
    int left = hexGroups(s.substring(0, gap));
    int right = hexGroups(s.substring(gap + 2));
    return left >= 0 && right >= 0 && left + right <= 6;
  }

  /** The number of ':'-separated groups of 1–4 hex digits in {@code s} (0 for ""), or -1 when malformed. */
  private static int hexGroups(String s) {
    if (s.isEmpty()) {
      return 0;
    }
    String[] groups = s.split(":", -1);
    for (String g : groups) {
      if (g.isEmpty() || g.length() > 4 || !g.chars().allMatch(EhloNames::isHexDigit)) {
        return -1;
      }
    }
    return groups.length;
  }

  private static boolean isAsciiLetter(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHexDigit(int c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
