package org.fieldops.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name=value} options. */
final class Args {
  private final Map<String, String> values = new LinkedHashMap<>();

  Args(String[] argv, int from) {
    for (int i = from; i < argv.length; i++) {
      String a = argv[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("options are --name=value, not " + a);
      }
      int eq = a.indexOf('=');
      if (eq < 0) {
        values.put(a.substring(2), "true");
      } else {
        values.put(a.substring(2, eq), a.substring(eq + 1));
      }
    }
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  String require(String name) {
    String v = values.get(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("--" + name + "=… is required");
    }
    return v;
  }

  int getInt(String name, int fallback) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
  }

  long getLong(String name, long fallback) {
    return values.containsKey(name) ? Long.parseLong(values.get(name)) : fallback;
  }
}
