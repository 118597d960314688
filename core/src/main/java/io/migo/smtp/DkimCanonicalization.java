package io.migo.smtp;

/**
 * How a DKIM signature's headers or body are canonicalized before hashing (the {@code c=} tag, RFC 6376 §3.4).
 * {@link #RELAXED} survives the whitespace and header-case changes that relays make; {@link #SIMPLE} tolerates almost
 * none.
 */
public enum DkimCanonicalization {
  SIMPLE("simple"),
  RELAXED("relaxed");

  private final String tag;

  DkimCanonicalization(String tag) {
    this.tag = tag;
  }

  /** The name used in the {@code c=} tag. */
  public String tag() {
    return tag;
  }
}
