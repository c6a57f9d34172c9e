package org.fieldops.jobs.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.fieldops.api.FieldError;
import org.fieldops.api.ValidationException;
import org.fieldops.spi.checklist.ChecklistItem;
import org.fieldops.store.support.Checks;

/**
 * The platform's own validation of a checklist answer against its item's type, range and choices.
 */
final class ChecklistAnswers {
  static final java.util.regex.Pattern SHA256 = java.util.regex.Pattern.compile("[0-9a-f]{64}");

  private ChecklistAnswers() {}

  /**
   * The answer in its canonical form ({@code Boolean}, {@code BigDecimal}, {@code String}, or the
   * photo's SHA-256 as text).
   *
   * @throws ValidationException on {@code field} with a message a technician understands
   */
  static Object canonical(ChecklistItem item, Object answer, String field) {
    String problem = null;
    Object value = null;
    switch (item.type()) {
      case YES_NO -> {
        if (answer instanceof Boolean b) {
          value = b;
        } else {
          problem = "answer yes or no (true or false)";
        }
      }
      case NUMBER -> {
        BigDecimal n = decimal(answer);
        if (n == null) {
          problem = "answer a number" + (item.unit() == null ? "" : " in " + item.unit());
        } else if ((item.min() != null && n.compareTo(item.min()) < 0)
            || (item.max() != null && n.compareTo(item.max()) > 0)) {
          problem =
              "must be between "
                  + (item.min() == null ? "-" : item.min().toPlainString())
                  + " and "
                  + (item.max() == null ? "-" : item.max().toPlainString())
                  + (item.unit() == null ? "" : " " + item.unit());
        } else {
          value = n;
        }
      }
      case TEXT -> {
        if (answer instanceof String s
            && !s.isBlank()
            && s.length() <= Checks.TEXT_MAX
            && s.chars().noneMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t')) {
          value = s;
        } else {
          problem =
              "answer with text of 1 to "
                  + Checks.TEXT_MAX
                  + " characters, without control characters";
        }
      }
      case CHOICE -> {
        if (answer instanceof String s && item.choices().contains(s)) {
          value = s;
        } else {
          problem = "answer one of " + String.join(", ", item.choices());
        }
      }
      case PHOTO -> {
        Object sha = answer instanceof Map<?, ?> m ? m.get("sha256") : answer;
        if (sha instanceof String s && SHA256.matcher(s).matches()) {
          value = s;
        } else {
          problem = "answer with the photo's {\"sha256\": \"<64 lower-case hex>\"}";
        }
      }
    }
    if (problem != null) {
      throw new ValidationException(List.of(new FieldError(field, problem)));
    }
    return value;
  }

  /**
   * The answer as a decimal, or null if it is not a finite number (NaN and infinities have none).
   */
  private static BigDecimal decimal(Object answer) {
    if (answer instanceof BigDecimal d) {
      return d;
    }
    if (answer instanceof Number num) {
      try {
        return new BigDecimal(num.toString());
      } catch (NumberFormatException notFinite) {
        return null;
      }
    }
    return null;
  }
}
