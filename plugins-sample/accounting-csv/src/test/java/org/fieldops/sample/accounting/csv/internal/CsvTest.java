package org.fieldops.sample.accounting.csv.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.Test;

/** RFC 4180 writing and reading. */
public class CsvTest {

  @Test
  public void quotesOnlyWhatNeedsQuoting() {
    assertEquals(
        "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\",,x\r\n",
        Csv.record(Arrays.asList("plain", "a,b", "say \"hi\"", "two\r\nlines", null, "x")));
  }

  @Test
  public void readsBackWhatItWrites() {
    List<String> a = List.of("1", "a,b", "\"", "line\nbreak", "", " spaced ");
    List<String> b = List.of("2", "crlf\r\ninside", "end\"", "x", "y", "z");
    assertEquals(List.of(a, b), Csv.parse(Csv.record(a) + Csv.record(b)));
  }

  @Test
  public void toleratesAMissingFinalLineBreakAndLfLineEnds() {
    assertEquals(List.of(List.of("a", "b"), List.of("c", "")), Csv.parse("a,b\nc,"));
  }

  @Test
  public void refusesBrokenQuoting() {
    assertThrows(IllegalArgumentException.class, () -> Csv.parse("a,\"open\r\n"));
    assertThrows(IllegalArgumentException.class, () -> Csv.parse("\"closed\"x,y\r\n"));
  }
}
