package io.migo.smtp.impl.protocol;

import io.migo.smtp.SmtpPhase;

/**
 * The only place SMTP command lines are built. Every argument is validated before a byte exists, so that caller
 * input can never end the line early and smuggle in another command (the check netty's {@code SmtpRequests} makes
 * through {@code SmtpUtils}). Refusals are {@link io.migo.smtp.SmtpException}s with phase INPUT and reason
 * INVALID_INPUT, naming the offending field.
 *
 * <p>Commands without arguments are shared constants.
 */
public final class Commands {

  private static final SmtpCommand STARTTLS = new SmtpCommand(SmtpPhase.STARTTLS, "STARTTLS");
  private static final SmtpCommand DATA = new SmtpCommand(SmtpPhase.DATA, "DATA");
  private static final SmtpCommand RSET = new SmtpCommand(SmtpPhase.RSET, "RSET");
  private static final SmtpCommand QUIT = new SmtpCommand(SmtpPhase.QUIT, "QUIT");

  /** RFC 4422 section 3.1: sasl-mech is 1 to 20 characters. */
  private static final int MAX_MECHANISM = 20;

  private Commands() {
  }

  /** {@code EHLO domain}; {@code domain} must pass {@link EhloNames#isValid}. */
  public static SmtpCommand ehlo(String domain) {
    return new SmtpCommand(SmtpPhase.EHLO, "EHLO " + ehloName("EHLO domain", domain));
  }

  /** {@code LHLO domain}: LMTP's EHLO (RFC 2033 §4.1), reported in the EHLO phase. */
  public static SmtpCommand lhlo(String domain) {
    return new SmtpCommand(SmtpPhase.EHLO, "LHLO " + ehloName("LHLO domain", domain));
  }

  /** {@code HELO domain}, the fallback for servers that do not know EHLO. */
  public static SmtpCommand helo(String domain) {
    return new SmtpCommand(SmtpPhase.HELO, "HELO " + ehloName("HELO domain", domain));
  }

  private static String ehloName(String field, String domain) {
    InputChecks.requireNonEmpty(field, domain);
    InputChecks.rejectControls(field, domain);
    if (!EhloNames.isValid(domain)) {
      throw InputChecks.invalid(field + " is neither a domain name nor an address literal such as [192.0.2.1]: "
          + domain);
    }
    return domain;
  }

  public static SmtpCommand startTls() {
    return STARTTLS;
  }

  /**
   * {@code AUTH mechanism [initial-response]} (RFC 4954). With an initial response the line carries the credential
   * and is shown masked in logs ({@code AUTH PLAIN ***}).
   *
   * @param base64InitialResponseOrNull base64, or {@code "="} for an empty initial response, or {@code null} for none
   */
  public static SmtpCommand auth(String mechanismName, String base64InitialResponseOrNull) {
    String mechanism = mechanism(mechanismName);
    if (base64InitialResponseOrNull == null) {
      return new SmtpCommand(SmtpPhase.AUTH, "AUTH " + mechanism);
    }
    String response = base64("AUTH initial response", base64InitialResponseOrNull, false);
    if (response.isEmpty()) {
      throw InputChecks.invalid("AUTH initial response is empty (send \"=\" for an empty response)");
    }
    return new SmtpCommand(SmtpPhase.AUTH, "AUTH " + mechanism + " " + response, "AUTH " + mechanism + " ***");
  }

  /**
   * A reply to a 334 challenge: base64, {@code ""} for an empty response (an empty line), or {@code "*"} to cancel
   * the exchange. Always masked in logs: continuations carry user names, passwords and tokens.
   */
  public static SmtpCommand authContinuation(String base64) {
    if (base64 == null) {
      throw InputChecks.invalid("AUTH continuation is null");
    }
    return new SmtpCommand(SmtpPhase.AUTH, base64("AUTH continuation", base64, true), "***");
  }

  /**
   * {@code MAIL FROM:<reversePath> [params]}.
   *
   * @param reversePath the sender, or {@code null}/"" for the null reverse-path {@code <>} (bounces)
   * @param params      ESMTP parameters such as {@code SIZE=1024}, {@code BODY=8BITMIME}, {@code SMTPUTF8}
   */
  public static SmtpCommand mail(String reversePath, String... params) {
    String path = reversePath == null ? "" : reversePath;
    if (!path.isEmpty()) {
      Addresses.validateMailbox("MAIL reverse-path", path, false);
    }
    return new SmtpCommand(SmtpPhase.MAIL, "MAIL FROM:<" + path + ">" + params("MAIL", params));
  }

  /** {@code RCPT TO:<forwardPath> [params]}; {@code postmaster} without a domain is accepted. */
  public static SmtpCommand rcpt(String forwardPath, String... params) {
    Addresses.validateMailbox("RCPT forward-path", forwardPath, true);
    return new SmtpCommand(SmtpPhase.RCPT, "RCPT TO:<" + forwardPath + ">" + params("RCPT", params));
  }

  public static SmtpCommand data() {
    return DATA;
  }

  /** {@code BDAT size [LAST]} (RFC 3030); {@code size} may be 0 for an empty last chunk. */
  public static SmtpCommand bdat(long size, boolean last) {
    if (size < 0) {
      throw InputChecks.invalid("BDAT size is negative: " + size);
    }
    return new SmtpCommand(SmtpPhase.BDAT, last ? "BDAT " + size + " LAST" : "BDAT " + size);
  }

  public static SmtpCommand rset() {
    return RSET;
  }

  public static SmtpCommand quit() {
    return QUIT;
  }

  /** RFC 4422: {@code 1*20 (ALPHA / DIGIT / "-" / "_")}; we also accept lower case and send it as given. */
  private static String mechanism(String name) {
    InputChecks.requireNonEmpty("AUTH mechanism", name);
    InputChecks.rejectControls("AUTH mechanism", name);
    if (name.length() > MAX_MECHANISM || !name.chars().allMatch(
        c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
      throw InputChecks.invalid("AUTH mechanism is not a SASL mechanism name: " + name);
    }
    return name;
  }

  /**
   * Base64 alphabet only ({@code "="} alone is RFC 4954's empty initial response); {@code "*"} (cancel) only for
   * continuations. The value is never echoed: it is a credential.
   */
  private static String base64(String field, String value, boolean allowCancel) {
    InputChecks.rejectControls(field, value);
    if (allowCancel && value.equals("*")) {
      return value;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '+' || c == '/' || c == '=';
      if (!ok) {
        throw InputChecks.invalid(field + " is not base64 (character at index " + i + ")");
      }
    }
    return value;
  }

  /**
   * Each ESMTP parameter ({@code keyword[=value]}) with a leading space. A parameter may not be empty nor hold a
   * space: either would change how the server splits the line.
   */
  private static String params(String verb, String[] params) {
    if (params.length == 0) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < params.length; i++) {
      String field = verb + " parameter " + (i + 1);
      String p = InputChecks.requireNonEmpty(field, params[i]);
      InputChecks.rejectControls(field, p);
      if (p.indexOf(' ') >= 0) {
        throw InputChecks.invalid(field + " contains a space: " + p);
      }
      sb.append(' ').append(p);
    }
    return sb.toString();
  }
}
