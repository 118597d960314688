package io.migo.smtp.impl.session;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server side of SCRAM (RFC 5802) for scripted dialogues: answers the client's random nonce, checks its proof
 * and computes the server signature, so that a script can send a correct exchange and then break one part of it.
 * Written from the RFC apart from the client's code; the client's arithmetic is pinned by the RFCs' vectors.
 */
final class ScramServerScript {

  private final String hash;        // "SHA-256" or "SHA-1"
  private final String password;
  private final String salt = "c2FsdHNhbHQ=";
  private String clientFirstBare;
  private String serverFirst;
  private boolean clientProofValid;

  ScramServerScript(String hash, String password) {
    this.hash = hash;
    this.password = password;
  }

  /** The client's nonce from {@code AUTH SCRAM-SHA-x <base64 client-first>}. */
  String clientNonce(String authLine) {
    String clientFirst = decode(authLine.substring(authLine.lastIndexOf(' ') + 1));
    if (!clientFirst.startsWith("n,,")) {
      throw new AssertionError("GS2 header is not n,,: " + clientFirst);
    }
    clientFirstBare = clientFirst.substring(3);
    return clientFirstBare.substring(clientFirstBare.indexOf(",r=") + 3);
  }

  /** A correct server-first reply ({@code 334 base64}) with this iteration count. */
  String serverFirst(String authLine, int iterations) {
    return serverFirstRaw(authLine, "r=" + clientNonce(authLine) + "SERVERnonce,s=" + salt + ",i=" + iterations);
  }

  /** Sends {@code message} as the server-first message, whatever it says; remembered for the AuthMessage. */
  String serverFirstRaw(String authLine, String message) {
    if (clientFirstBare == null) {
      clientNonce(authLine);
    }
    serverFirst = message;
    return "334 " + encode(message);
  }

  /** Checks the client's proof; returns the server-final message {@code v=...} that proves the server. */
  String serverFinalFor(String clientFinalLine) {
    String clientFinal = decode(clientFinalLine);
    String withoutProof = clientFinal.substring(0, clientFinal.indexOf(",p="));
    byte[] proof = Base64.getDecoder().decode(clientFinal.substring(clientFinal.indexOf(",p=") + 3));
    byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(UTF_8);
    int iterations = Integer.parseInt(serverFirst.substring(serverFirst.indexOf(",i=") + 3));
    byte[] salted = pbkdf2(Base64.getDecoder().decode(salt), iterations);
    byte[] clientKey = hmac(salted, "Client Key");
    byte[] storedKey = digest(clientKey);
    byte[] signature = hmac(storedKey, authMessage);
    byte[] recovered = new byte[proof.length];
    for (int i = 0; i < proof.length; i++) {
      recovered[i] = (byte) (proof[i] ^ signature[i]);
    }
    clientProofValid = MessageDigest.isEqual(digest(recovered), storedKey);
    return "v=" + Base64.getEncoder().encodeToString(hmac(hmac(salted, "Server Key"), authMessage));
  }

  boolean clientProofValid() {
    return clientProofValid;
  }

  static String encode(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(UTF_8));
  }

  private static String decode(String b64) {
    return new String(Base64.getDecoder().decode(b64), UTF_8);
  }

  private String macName() {
    return "Hmac" + hash.replace("-", "");
  }

  private byte[] pbkdf2(byte[] saltBytes, int iterations) {
    try {
      int bits = MessageDigest.getInstance(hash).getDigestLength() * 8;
      return SecretKeyFactory.getInstance("PBKDF2With" + macName())
          .generateSecret(new PBEKeySpec(password.toCharArray(), saltBytes, iterations, bits)).getEncoded();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private byte[] hmac(byte[] key, String data) {
    return hmac(key, data.getBytes(UTF_8));
  }

  private byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(macName());
      mac.init(new SecretKeySpec(key, macName()));
      return mac.doFinal(data);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private byte[] digest(byte[] data) {
    try {
      return MessageDigest.getInstance(hash).digest(data);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
