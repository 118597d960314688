package io.migo.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which server replies mean "slow down" rather than "no": the table the client consults when a reply refuses a
 * message or a session, to decide whether it defers the message and paces itself instead of failing it. Immutable;
 * {@link #with(Rule)} and {@link #without(Kind)} return new tables.
 *
 * <p>A rule matches a reply when its code is one of the rule's codes (any code when none are listed), the reply came in
 * one of the rule's phases (any phase when none are listed), and — when the rule lists enhanced-code prefixes or text
 * patterns — the enhanced code starts with one of the prefixes <em>or</em> the reply text contains a match of one of
 * the patterns (Java regular expressions, case-insensitive). Rules are tried in order; the first that matches names
 * the kind. What the client does with each kind:
 * <ul>
 *   <li>{@link Kind#CONNECTION_LIMIT}: fewer sessions; the message is deferred until a session is free.</li>
 *   <li>{@link Kind#RATE_LIMIT}: a lower sending rate; the message is deferred.</li>
 *   <li>{@link Kind#SESSION_MESSAGE_LIMIT}: at most as many messages per session as the relay took on this one; the
 *   message goes again on a fresh session.</li>
 *   <li>{@link Kind#RECIPIENT_LIMIT}: the message goes to the recipients accepted so far and the rest follow in
 *   further transactions (RFC 5321 §4.5.3.1.10).</li>
 *   <li>{@link Kind#QUOTA}: the job stops; nothing more is sent and the rest fail with
 *   {@link SmtpException.Reason#QUOTA_EXCEEDED}.</li>
 * </ul>
 * A deferral does not use up the {@link RetryPolicy}'s attempts; a message gives up after
 * {@link SmtpClientOptions#getThrottleTimeout()} since its first deferral (then it fails with
 * {@link SmtpException.Reason#THROTTLED}). A reply after which the server may hold the message is never a reason to
 * defer it.
 *
 * <p>The {@linkplain #defaults() default table}, in order:
 *
 * <table>
 * <caption>Default throttling rules</caption>
 * <tr><th>Kind</th><th>Codes</th><th>Phases</th><th>Enhanced codes</th><th>Text (case-insensitive)</th><th>Seen from</th></tr>
 * <tr><td>QUOTA</td><td>550</td><td>any</td><td>5.4.5</td><td></td><td>Gmail "550 5.4.5 Daily user sending quota exceeded"</td></tr>
 * <tr><td>QUOTA</td><td>4xx, 5xx but 452/552</td><td>any but RCPT</td><td></td><td>{@code quota}, {@code daily}</td><td>Microsoft 365 "554 5.2.0 … QuotaExceeded"</td></tr>
 * <tr><td>SESSION_MESSAGE_LIMIT</td><td>421</td><td>any</td><td></td><td>{@code too many messages}</td><td>a policy service "421 4.7.0 Too many messages in this session"</td></tr>
 * <tr><td>RECIPIENT_LIMIT</td><td>452</td><td>RCPT</td><td>4.5.3</td><td>{@code too many recipients}</td><td>Postfix, Gmail "452 4.5.3 Error: too many recipients"</td></tr>
 * <tr><td>CONNECTION_LIMIT</td><td>432</td><td>any</td><td></td><td></td><td>Microsoft 365 "432 4.3.2 Concurrent connections limit exceeded"</td></tr>
 * <tr><td>CONNECTION_LIMIT</td><td>421, 450, 451, 454</td><td>any</td><td></td><td>{@code too many connections}, {@code concurrent connections}, {@code connection limit}</td><td>Postfix "421 4.7.0 … Error: too many connections from 127.0.0.1"</td></tr>
 * <tr><td>CONNECTION_LIMIT</td><td>421</td><td>CONNECT, GREETING, EHLO, HELO</td><td>4.3.2</td><td></td><td>"421 4.3.2 Service not available" instead of a greeting</td></tr>
 * <tr><td>RATE_LIMIT</td><td>450, 451, 454</td><td>any but STARTTLS, TLS_HANDSHAKE, AUTH</td><td>4.7.</td><td>{@code too much mail}, {@code \brate\b}, {@code throttl}</td><td>Postfix "450 4.7.1 Error: too much mail from …", Amazon SES "454 Throttling failure: Maximum sending rate exceeded"</td></tr>
 * <tr><td>RATE_LIMIT</td><td>421</td><td>any</td><td></td><td>{@code too much mail}, {@code \brate\b}, {@code throttl}</td><td>Gmail "421 4.7.0 … unusual rate of unsolicited mail"</td></tr>
 * </table>
 *
 * <p>A 421 that names no limit (a server shutting down in the middle of a transaction) is not throttling: it stays an
 * ordinary transient failure, tried once more on a fresh session.
 */
public final class ThrottlingRules {

  /** What a throttling reply says about the relay's limits. */
  public enum Kind {
    /** Too many sessions at once: the client opens fewer. */
    CONNECTION_LIMIT,
    /** Too many messages per unit of time: the client sends more slowly. */
    RATE_LIMIT,
    /** Too many messages on one session: the client caps messages per session. */
    SESSION_MESSAGE_LIMIT,
    /** Too many recipients in one transaction: the rest follow in further transactions. */
    RECIPIENT_LIMIT,
    /** The account's quota is used up: the job stops. */
    QUOTA
  }

  /**
   * One row of the table.
   *
   * @param kind             what a matching reply means
   * @param codes            reply codes it applies to; empty for any
   * @param excludedCodes    reply codes it never applies to, even when {@code codes} is empty
   * @param phases           phases it applies to; empty for any
   * @param excludedPhases   phases it never applies to
   * @param enhancedPrefixes RFC 3463 enhanced-code prefixes, e.g. {@code 4.7.} or {@code 5.4.5}
   * @param textPatterns     regular expressions sought (case-insensitively) in the reply text
   */
  public record Rule(Kind kind, Set<Integer> codes, Set<Integer> excludedCodes, Set<SmtpPhase> phases,
                     Set<SmtpPhase> excludedPhases, List<String> enhancedPrefixes, List<String> textPatterns) {

    public Rule {
      Objects.requireNonNull(kind, "kind");
      codes = Set.copyOf(codes);
      excludedCodes = Set.copyOf(excludedCodes);
      phases = Set.copyOf(phases);
      excludedPhases = Set.copyOf(excludedPhases);
      enhancedPrefixes = List.copyOf(enhancedPrefixes);
      textPatterns = List.copyOf(textPatterns);
      textPatterns.forEach(Pattern::compile); // a bad pattern fails here, not at the first throttling reply
    }

    /** A rule for these codes in any phase, matching on enhanced code or text as given. */
    public static Rule of(Kind kind, Set<Integer> codes, List<String> enhancedPrefixes, List<String> textPatterns) {
      return new Rule(kind, codes, Set.of(), Set.of(), Set.of(), enhancedPrefixes, textPatterns);
    }

    /** The same rule, applying only in these phases. */
    public Rule inPhases(Set<SmtpPhase> only) {
      return new Rule(kind, codes, excludedCodes, only, excludedPhases, enhancedPrefixes, textPatterns);
    }

    /** The same rule, never applying in these phases. */
    public Rule exceptInPhases(Set<SmtpPhase> excluded) {
      return new Rule(kind, codes, excludedCodes, phases, excluded, enhancedPrefixes, textPatterns);
    }

    /** The same rule, never applying to these codes. */
    public Rule exceptCodes(Set<Integer> excluded) {
      return new Rule(kind, codes, excluded, phases, excludedPhases, enhancedPrefixes, textPatterns);
    }
  }

  private static final Set<SmtpPhase> OPENING =
    Set.of(SmtpPhase.CONNECT, SmtpPhase.GREETING, SmtpPhase.EHLO, SmtpPhase.HELO);
  private static final List<String> RATE_TEXT = List.of("too much mail", "\\brate\\b", "throttl");

  private static final ThrottlingRules DEFAULTS = new ThrottlingRules(List.of(
    Rule.of(Kind.QUOTA, Set.of(550), List.of("5.4.5"), List.of()),
    Rule.of(Kind.QUOTA, Set.of(), List.of(), List.of("quota", "daily"))
      .exceptCodes(Set.of(452, 552)).exceptInPhases(Set.of(SmtpPhase.RCPT)), // a recipient's full mailbox is theirs
    Rule.of(Kind.SESSION_MESSAGE_LIMIT, Set.of(421), List.of(), List.of("too many messages")),
    Rule.of(Kind.RECIPIENT_LIMIT, Set.of(452), List.of("4.5.3"), List.of("too many recipients"))
      .inPhases(Set.of(SmtpPhase.RCPT)),
    Rule.of(Kind.CONNECTION_LIMIT, Set.of(432), List.of(), List.of()),
    Rule.of(Kind.CONNECTION_LIMIT, Set.of(421, 450, 451, 454), List.of(),
      List.of("too many connections", "concurrent connections", "connection limit")),
    // 4.3.2 is "not accepting network messages": a limit when a session is turned away, a shutdown in a transaction.
    Rule.of(Kind.CONNECTION_LIMIT, Set.of(421), List.of("4.3.2"), List.of()).inPhases(OPENING),
    // 4.7.x is also security policy: "454 4.7.0 TLS not available", "454 4.7.0 Temporary authentication failure".
    Rule.of(Kind.RATE_LIMIT, Set.of(450, 451, 454), List.of("4.7."), RATE_TEXT)
      .exceptInPhases(Set.of(SmtpPhase.STARTTLS, SmtpPhase.TLS_HANDSHAKE, SmtpPhase.AUTH)),
    Rule.of(Kind.RATE_LIMIT, Set.of(421), List.of(), RATE_TEXT)));

  private static final ThrottlingRules NONE = new ThrottlingRules(List.of());

  private final List<Rule> rules;
  private final List<List<Pattern>> compiled;

  private ThrottlingRules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
    List<List<Pattern>> patterns = new ArrayList<>(rules.size());
    for (Rule rule : this.rules) {
      List<Pattern> own = new ArrayList<>(rule.textPatterns().size());
      rule.textPatterns().forEach(p -> own.add(Pattern.compile(p, Pattern.CASE_INSENSITIVE)));
      patterns.add(List.copyOf(own));
    }
    this.compiled = List.copyOf(patterns);
  }

  /** The table above: the replies real relays give when they limit an account. */
  public static ThrottlingRules defaults() {
    return DEFAULTS;
  }

  /** No reply is throttling: every refusal is an ordinary failure, as before throttling existed. */
  public static ThrottlingRules none() {
    return NONE;
  }

  /** A table of exactly these rules, in this order. */
  public static ThrottlingRules of(List<Rule> rules) {
    return new ThrottlingRules(rules);
  }

  /** This table with {@code rule} tried first (so it overrides what the existing rows say about the same replies). */
  public ThrottlingRules with(Rule rule) {
    List<Rule> more = new ArrayList<>(rules.size() + 1);
    more.add(Objects.requireNonNull(rule, "rule"));
    more.addAll(rules);
    return new ThrottlingRules(more);
  }

  /** This table without any rule of {@code kind}: such replies become ordinary failures. */
  public ThrottlingRules without(Kind kind) {
    return new ThrottlingRules(rules.stream().filter(r -> r.kind() != kind).toList());
  }

  public List<Rule> rules() {
    return rules;
  }

  /** The kind of a reply in any phase, or {@code null} when it is not throttling. */
  public Kind classify(int code, String enhancedCode, String text) {
    return classify(null, code, enhancedCode, text);
  }

  /**
   * The kind of a reply, or {@code null} when it is not throttling.
   *
   * @param phase        where the reply came; {@code null} when unknown (then only rules for any phase match)
   * @param enhancedCode RFC 3463 code such as {@code 4.7.1}, or {@code null}
   * @param text         the reply text, without the code
   */
  public Kind classify(SmtpPhase phase, int code, String enhancedCode, String text) {
    if (code < 400) {
      return null;
    }
    for (int i = 0; i < rules.size(); i++) {
      if (matches(rules.get(i), compiled.get(i), phase, code, enhancedCode, text)) {
        return rules.get(i).kind();
      }
    }
    return null;
  }

  private static boolean matches(Rule rule, List<Pattern> patterns, SmtpPhase phase, int code, String enhanced,
                                 String text) {
    if (!rule.codes().isEmpty() && !rule.codes().contains(code) || rule.excludedCodes().contains(code)) {
      return false;
    }
    if (!rule.phases().isEmpty() && (phase == null || !rule.phases().contains(phase))
      || phase != null && rule.excludedPhases().contains(phase)) {
      return false;
    }
    if (rule.enhancedPrefixes().isEmpty() && patterns.isEmpty()) {
      return true;
    }
    if (enhanced != null) {
      for (String prefix : rule.enhancedPrefixes()) {
        if (enhanced.startsWith(prefix)) {
          return true;
        }
      }
    }
    if (text != null) {
      for (Pattern pattern : patterns) {
        if (pattern.matcher(text).find()) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ThrottlingRules other && rules.equals(other.rules);
  }

  @Override
  public int hashCode() {
    return rules.hashCode();
  }

  @Override
  public String toString() {
    return "ThrottlingRules" + rules;
  }
}
