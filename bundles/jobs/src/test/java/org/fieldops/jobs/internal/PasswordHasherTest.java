package org.fieldops.jobs.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.Test;

public class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher(1_000);

  @Test
  public void theSamePasswordHashesDifferentlyEachTime() {
    String a = hasher.hash("correct horse battery");
    String b = hasher.hash("correct horse battery");
    assertNotEquals(a, b);
    assertTrue(hasher.verify("correct horse battery", a));
    assertTrue(hasher.verify("correct horse battery", b));
  }

  @Test
  public void verifyTellsRightFromWrong() {
    String stored = hasher.hash("correct horse battery");
    assertTrue(hasher.verify("correct horse battery", stored));
    assertFalse(hasher.verify("correct horse batterY", stored));
    assertFalse(hasher.verify("correct horse battery ", stored));
    assertFalse(hasher.verify("", stored));
  }

  @Test
  public void nonAsciiPasswordsWork() {
    String stored = hasher.hash("pässwörd-密码-🔑");
    assertTrue(hasher.verify("pässwörd-密码-🔑", stored));
    assertFalse(hasher.verify("passwort-密码-🔑", stored));
  }

  @Test
  public void theFormatIsPbkdf2Sha256IterationsSaltHash() {
    String stored = hasher.hash("correct horse battery");
    assertTrue(
        stored, stored.matches("pbkdf2-sha256\\$1000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"));
    assertTrue(new PasswordHasher(310_000).hash("x").startsWith("pbkdf2-sha256$310000$"));
  }

  @Test
  public void theIterationCountIsTakenFromTheStoredHash() {
    String stored = new PasswordHasher(2_000).hash("correct horse battery");
    assertTrue(hasher.verify("correct horse battery", stored));
    // the same salt and hash under another count do not verify
    assertFalse(hasher.verify("correct horse battery", stored.replace("$2000$", "$1000$")));
  }

  @Test
  public void aMalformedStoredHashIsFalseNotAnError() {
    String good = hasher.hash("pw");
    String[] parts = good.split("\\$");
    List<String> malformed =
        Arrays.asList(
            null,
            "",
            "pw",
            "$$$",
            "pbkdf2-sha256$1000$" + parts[2],
            good + "$extra",
            "bcrypt$1000$" + parts[2] + "$" + parts[3],
            "pbkdf2-sha256$many$" + parts[2] + "$" + parts[3],
            "pbkdf2-sha256$0$" + parts[2] + "$" + parts[3],
            "pbkdf2-sha256$-5$" + parts[2] + "$" + parts[3],
            "pbkdf2-sha256$1000$!!not base64!!$" + parts[3],
            "pbkdf2-sha256$1000$" + parts[2] + "$!!",
            "pbkdf2-sha256$1000$$" + parts[3],
            "pbkdf2-sha256$1000$" + parts[2] + "$",
            "pbkdf2-sha256$1000$" + parts[2] + "$" + parts[3].substring(1));
    for (String stored : malformed) {
      assertFalse(String.valueOf(stored), hasher.verify("pw", stored));
    }
  }

  @Test
  public void tooFewIterationsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(999));
    assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(0));
  }

  @Test
  public void burnTakesAnyPassword() {
    hasher.burn("anything");
    hasher.burn("");
  }

  @Test
  public void anEmptyPasswordCanBeHashedAndChecked() {
    String stored = hasher.hash("");
    assertTrue(hasher.verify("", stored));
    assertFalse(hasher.verify("x", stored));
  }
}
