package io.migo.smtp.impl.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.migo.smtp.AuthMechanism;
import io.migo.smtp.Credentials;
import io.migo.smtp.RelayAddress;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * RFC 7628 OAUTHBEARER: the initial response is a GS2 header naming the user as authorization identity, then
 * key/value pairs separated by ^A (U+0001):
 * {@code n,a=user,^Ahost=relay^Aport=587^Aauth=Bearer token^A^A}. {@link Credentials#secret()} is the access token;
 * host and port are the relay's, as the client connected to it (RFC 7628 §3.1: the server may check them).
 *
 * <p>On failure the server sends a {@code 334} whose challenge is a JSON error (RFC 7628 §3.2.2) such as
 * {@code {"status":"invalid_token","scope":"mail"}}; the client must answer with a single ^A (§3.2.3), after which the
 * server sends its final 5xx. The status and scope say why (expired token, missing scope), so they go into the error.
 */
public final class OAuthBearerMechanism implements SaslMechanism {

  /** The client's answer to an error challenge: RFC 7628 §3.2.3, a dummy response of one ^A. */
  private static final byte[] DUMMY_RESPONSE = {0x01};

  private final Credentials credentials;
  private final RelayAddress relay;
  private int challenges;
  private String serverError;

  public OAuthBearerMechanism(Credentials credentials, RelayAddress relay) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.relay = Objects.requireNonNull(relay, "relay");
    // ^A separates the pairs: one inside a value would let it forge another (e.g. a second "auth=").
    if (credentials.username().indexOf('\u0001') >= 0) {
      throw SaslMechanisms.invalidCredentials(AuthMechanism.OAUTHBEARER, "user name", "U+0001");
    }
    if (!isVisibleAscii(credentials.secret())) {
      // RFC 6750 §2.1: a bearer token is b64token, visible ASCII; anything else (a ^A, a line break) is not a token.
      throw SaslMechanisms.invalidCredentials(AuthMechanism.OAUTHBEARER, "token",
          "characters outside visible ASCII (RFC 6750 b64token)");
    }
  }

  private static boolean isVisibleAscii(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= 0x21 && c <= 0x7E);
  }

  @Override
  public AuthMechanism mechanism() {
    return AuthMechanism.OAUTHBEARER;
  }

  @Override
  public byte[] initialResponse() {
    String gs2Header = "n,a=" + Gs2.saslName(credentials.username()) + ",";
    return (gs2Header + "\u0001host=" + relay.host() + "\u0001port=" + relay.port()
        + "\u0001auth=Bearer " + credentials.secret() + "\u0001\u0001").getBytes(UTF_8);
  }

  @Override
  public byte[] respond(byte[] challenge) {
    if (++challenges > 1) {
      throw SaslMechanisms.tooManyChallenges(AuthMechanism.OAUTHBEARER, challenges);
    }
    String described = describeError(new String(challenge, UTF_8));
    serverError = described == null ? null : withoutControlCharacters(described);
    return DUMMY_RESPONSE;
  }

  /** The server's text ends up in exception messages and logs: a hostile CR/LF there would forge log lines. */
  private static String withoutControlCharacters(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.chars().forEach(c -> out.append(c < 0x20 || c == 0x7F ? '?' : (char) c));
    return out.toString();
  }

  /** "status=invalid_token, scope=mail" from the JSON, or the text itself (bounded) when it is not the JSON of §3.2.2. */
  static String describeError(String text) {
    String bounded = text.length() > XOAuth2Mechanism.MAX_SERVER_ERROR_CHARS
        ? text.substring(0, XOAuth2Mechanism.MAX_SERVER_ERROR_CHARS) + "..." : text;
    if (text.isEmpty()) {
      return null;
    }
    try {
      JsonObject json = new JsonObject(text);
      Object status = json.getValue("status");
      if (status == null) {
        return bounded;
      }
      StringBuilder out = new StringBuilder("status=").append(status);
      Object scope = json.getValue("scope");
      if (scope != null) {
        out.append(", scope=").append(scope);
      }
      Object configuration = json.getValue("openid-configuration");
      if (configuration != null) {
        out.append(", openid-configuration=").append(configuration);
      }
      return out.length() > XOAuth2Mechanism.MAX_SERVER_ERROR_CHARS ? bounded : out.toString();
    } catch (DecodeException | ClassCastException e) {
      return bounded;
    }
  }

  @Override
  public String serverError() {
    return serverError;
  }

  @Override
  public String toString() {
    return "OAuthBearerMechanism[username=" + credentials.username() + ", relay=" + relay + "]";
  }
}
