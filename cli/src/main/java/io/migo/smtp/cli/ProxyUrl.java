package io.migo.smtp.cli;

import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code --proxy}: {@code socks5://[user:password@]host:port}, {@code socks4://host:port} or
 * {@code http://[user:password@]host:port} (HTTP CONNECT), exactly that and nothing more (no path, query or default
 * port: a proxy URL that says less than it seems to is refused, not guessed at). The user name and password are
 * percent-decoded, so that {@code %40} and {@code %3A} can stand for {@code @} and {@code :} in them. Error messages
 * show the URL with its password masked.
 */
final class ProxyUrl {

  static final String FORMS = "socks5://[user:password@]host:port, socks4://host:port or "
    + "http://[user:password@]host:port";

  private ProxyUrl() {
  }

  static ProxyOptions parse(String value) {
    URI uri;
    try {
      uri = new URI(value.trim());
    } catch (URISyntaxException e) {
      throw invalid(value, "not a URL");
    }
    ProxyType type = type(uri, value);
    if (uri.getRawAuthority() == null || uri.getHost() == null) {
      throw invalid(value, "no host");
    }
    if (uri.getPort() < 1 || uri.getPort() > 65535) {
      throw invalid(value, "the port is missing or not 1..65535");
    }
    if (!(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
      || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw invalid(value, "a proxy URL has no path, query or fragment");
    }
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
      : uri.getHost();
    ProxyOptions options = new ProxyOptions().setType(type).setHost(host).setPort(uri.getPort());
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      if (type == ProxyType.SOCKS4) {
        throw invalid(value, "SOCKS4 has no password authentication: use socks5:// for a login");
      }
      // user@host without a password is allowed here: --proxy-password-env supplies it (RelayOptions checks that).
      int colon = userInfo.indexOf(':');
      String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      if (user.isEmpty()) {
        throw invalid(value, "the login must be user:password");
      }
      options.setUsername(user);
      if (colon >= 0) {
        options.setPassword(decode(userInfo.substring(colon + 1)));
      }
    }
    return options;
  }

  private static ProxyType type(URI uri, String value) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "socks5" -> ProxyType.SOCKS5;
      case "socks4" -> ProxyType.SOCKS4;
      case "http" -> ProxyType.HTTP;
      default -> throw invalid(value, "the scheme must be socks5, socks4 or http");
    };
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** {@code socks5://bob:***@proxy:1080}: for messages, never with the password. */
  static String masked(String value) {
    int at = value.lastIndexOf('@');
    int schemeEnd = value.indexOf("://");
    int start = schemeEnd < 0 ? 0 : schemeEnd + 3;
    if (at < start) {
      return value;
    }
    int colon = value.indexOf(':', start);
    return colon < 0 || colon > at ? value : value.substring(0, colon + 1) + "***" + value.substring(at);
  }

  /** How the proxy is named in what the CLI prints: type, host, port and user, never the password. */
  static String describe(ProxyOptions proxy) {
    String scheme = proxy.getType() == ProxyType.HTTP ? "http" : proxy.getType().name().toLowerCase(Locale.ROOT);
    String user = proxy.getUsername() == null ? "" : proxy.getUsername() + ":***@";
    return scheme + "://" + user + proxy.getHost() + ":" + proxy.getPort();
  }

  private static TypeConversionException invalid(String value, String why) {
    return new TypeConversionException("expected " + FORMS + " but was '" + masked(value) + "' (" + why + ")");
  }

  static final class Converter implements ITypeConverter<ProxyOptions> {
    @Override
    public ProxyOptions convert(String value) {
      return parse(value);
    }
  }
}
