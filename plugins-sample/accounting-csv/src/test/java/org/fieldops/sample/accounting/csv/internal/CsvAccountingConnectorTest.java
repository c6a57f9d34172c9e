package org.fieldops.sample.accounting.csv.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fieldops.api.billing.Invoice;
import org.fieldops.api.billing.InvoiceLineKind;
import org.fieldops.spi.accounting.ExportResult;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The CSV journal: written once per key, atomically, parseable back; voids; failures. */
public class CsvAccountingConnectorTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private final MovableClock clock = new MovableClock(Instant.parse("2024-06-04T08:00:00Z"));
  private Path folder;
  private CsvAccountingConnector connector;

  @Before
  public void setUp() {
    folder = tmp.getRoot().toPath().resolve("journals");
    connector = new CsvAccountingConnector(folder, ZoneOffset.UTC, clock);
  }

  /** A clock the test moves forward, e.g. to the next day. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private Path journal(String day) {
    return folder.resolve("journal-" + day + ".csv");
  }

  /** The journal's records as maps from column name to value; checks the single header. */
  private List<Map<String, String>> rows(Path file) throws IOException {
    List<List<String>> records = Csv.parse(Files.readString(file, StandardCharsets.UTF_8));
    assertEquals(JournalRows.HEADER, records.get(0));
    List<Map<String, String>> out = new ArrayList<>();
    for (List<String> r : records.subList(1, records.size())) {
      assertEquals("one value per column", JournalRows.HEADER.size(), r.size());
      assertFalse("one header only", r.equals(JournalRows.HEADER));
      Map<String, String> m = new HashMap<>();
      for (int i = 0; i < r.size(); i++) {
        m.put(JournalRows.HEADER.get(i), r.get(i));
      }
      out.add(m);
    }
    return out;
  }

  @Test
  public void writesOneHeaderAndOneRowPerLineItem() throws IOException {
    ExportResult r =
        connector.exportInvoice(Invoices.typical("INV-000001"), Invoices.ACME, "INV-000001");

    assertEquals(ExportResult.Kind.SUCCESS, r.kind());
    assertEquals("journal-2024-06-04.csv", r.externalId());
    List<Map<String, String>> rows = rows(journal("2024-06-04"));
    assertEquals(2, rows.size());
    Map<String, String> labor = rows.get(0);
    assertEquals("INVOICE", labor.get("entry"));
    assertEquals("INV-000001", labor.get("key"));
    assertEquals("INV-000001", labor.get("invoice_number"));
    assertEquals("2024-06-03", labor.get("invoice_date"));
    assertEquals("2024-06-03", labor.get("entry_date"));
    assertEquals("cust-1", labor.get("customer_id"));
    assertEquals("Acme, \"Rooftops\" & Co", labor.get("customer_name"));
    assertEquals("1", labor.get("line_no"));
    assertEquals("LABOR", labor.get("kind"));
    assertEquals("Labor, standard rate", labor.get("description"));
    assertEquals("2.00", labor.get("quantity"));
    assertEquals("95.00", labor.get("unit_price"));
    assertEquals("190.00", labor.get("amount"));
    assertEquals("USD", labor.get("currency"));
    assertEquals("226.80", labor.get("subtotal"));
    assertEquals("0.0825", labor.get("tax_rate"));
    assertEquals("18.71", labor.get("tax"));
    assertEquals("245.51", labor.get("total"));
    Map<String, String> part = rows.get(1);
    assertEquals("2", part.get("line_no"));
    assertEquals("PART", part.get("kind"));
    assertEquals("36.80", part.get("amount"));
    assertEquals("245.51", part.get("total"));
  }

  @Test
  public void aSecondDeliveryOfTheSameInvoiceWritesNothing() throws IOException {
    Invoice inv = Invoices.typical("INV-000001");
    connector.exportInvoice(inv, Invoices.ACME, "INV-000001");
    byte[] once = Files.readAllBytes(journal("2024-06-04"));
    Object inode = Files.readAttributes(journal("2024-06-04"), BasicFileAttributes.class).fileKey();

    ExportResult again = connector.exportInvoice(inv, Invoices.ACME, "INV-000001");

    assertEquals(ExportResult.Kind.SUCCESS, again.kind());
    assertEquals("journal-2024-06-04.csv", again.externalId());
    assertArrayEquals(once, Files.readAllBytes(journal("2024-06-04")));
    assertEquals(
        "not even rewritten",
        inode,
        Files.readAttributes(journal("2024-06-04"), BasicFileAttributes.class).fileKey());
  }

  @Test
  public void aRetryOnALaterDayFindsTheInvoiceInAnEarlierJournal() throws IOException {
    connector.exportInvoice(Invoices.typical("INV-000001"), Invoices.ACME, "INV-000001");
    clock.advance(Duration.ofDays(1));
    // a fresh instance (restart) must find it on disk, not in memory
    connector = new CsvAccountingConnector(folder, ZoneOffset.UTC, clock);

    ExportResult again =
        connector.exportInvoice(Invoices.typical("INV-000001"), Invoices.ACME, "INV-000001");
    ExportResult next =
        connector.exportInvoice(Invoices.typical("INV-000002"), Invoices.ACME, "INV-000002");

    assertEquals("journal-2024-06-04.csv", again.externalId());
    assertEquals("journal-2024-06-05.csv", next.externalId());
    assertEquals(2, rows(journal("2024-06-04")).size());
    assertEquals(
        List.of("INV-000002", "INV-000002"),
        rows(journal("2024-06-05")).stream().map(m -> m.get("key")).toList());
  }

  @Test
  public void aVoidIsWrittenAsReversingRowsUnderItsOwnKey() throws IOException {
    connector.exportInvoice(Invoices.typical("INV-000007"), Invoices.ACME, "INV-000007");
    Invoice voided =
        Invoices.invoice("INV-000007")
            .line(InvoiceLineKind.LABOR, "Labor, standard rate", "2.00", "95.00")
            .line(InvoiceLineKind.PART, "Air filter 20x25x2, pleated", "2", "18.40")
            .voided(Instant.parse("2024-06-04T07:00:00Z"))
            .build();

    ExportResult r = connector.voidInvoice(voided, Invoices.ACME, "INV-000007:VOID");
    ExportResult again = connector.voidInvoice(voided, Invoices.ACME, "INV-000007:VOID");

    assertEquals(ExportResult.Kind.SUCCESS, r.kind());
    assertEquals(ExportResult.Kind.SUCCESS, again.kind());
    List<Map<String, String>> rows = rows(journal("2024-06-04"));
    assertEquals(4, rows.size());
    List<Map<String, String>> voids =
        rows.stream().filter(m -> "VOID".equals(m.get("entry"))).toList();
    assertEquals(2, voids.size());
    Map<String, String> labor = voids.get(0);
    assertEquals("INV-000007:VOID", labor.get("key"));
    assertEquals("INV-000007", labor.get("invoice_number"));
    assertEquals("2024-06-03", labor.get("invoice_date"));
    assertEquals("2024-06-04", labor.get("entry_date"));
    assertEquals("-2.00", labor.get("quantity"));
    assertEquals("95.00", labor.get("unit_price"));
    assertEquals("-190.00", labor.get("amount"));
    assertEquals("-226.80", labor.get("subtotal"));
    assertEquals("-18.71", labor.get("tax"));
    assertEquals("-245.51", labor.get("total"));
  }

  @Test
  public void aVoidOfAnInvoiceNeverExportedIsStillRecorded() throws IOException {
    Invoice voided =
        Invoices.invoice("INV-000009")
            .line(InvoiceLineKind.FLAT_RATE, "Diagnostic visit", "1", "120.00")
            .voided(Instant.parse("2024-06-04T07:00:00Z"))
            .build();

    assertEquals(
        ExportResult.Kind.SUCCESS,
        connector.voidInvoice(voided, Invoices.ACME, "INV-000009:VOID").kind());
    assertEquals("VOID", rows(journal("2024-06-04")).get(0).get("entry"));
  }

  @Test
  public void awkwardTextSurvivesTheRoundTripAndFormulasAreDefused() throws IOException {
    Invoice inv =
        Invoices.invoice("INV-000003")
            .line(InvoiceLineKind.PART, "Belt, \"B-42\"\r\nfan side", "1", "12.00")
            .line(InvoiceLineKind.ADJUSTMENT, "=HYPERLINK(\"http://x\")", "1", "-5.00")
            .line(InvoiceLineKind.ADJUSTMENT, "-5% loyalty", "1", "-1.00")
            .build();

    connector.exportInvoice(inv, Invoices.ACME, "INV-000003");

    List<Map<String, String>> rows = rows(journal("2024-06-04"));
    assertEquals("Belt, \"B-42\"\r\nfan side", rows.get(0).get("description"));
    assertEquals("'=HYPERLINK(\"http://x\")", rows.get(1).get("description"));
    assertEquals("-5.00", rows.get(1).get("amount"));
    assertEquals("'-5% loyalty", rows.get(2).get("description"));
  }

  @Test
  public void anInvoiceWithoutLinesIsOneRow() throws IOException {
    connector.exportInvoice(Invoices.invoice("INV-000004").build(), Invoices.ACME, "INV-000004");

    List<Map<String, String>> rows = rows(journal("2024-06-04"));
    assertEquals(1, rows.size());
    assertEquals("", rows.get(0).get("line_no"));
    assertEquals("0.00", rows.get(0).get("total"));
  }

  @Test
  public void concurrentDeliveriesWriteEachKeyOnceAndReadersNeverSeeHalfAJournal()
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicBoolean writing = new AtomicBoolean(true);
    List<String> readerProblems = Collections.synchronizedList(new ArrayList<>());
    Path file = journal("2024-06-04");
    Thread reader =
        new Thread(
            () -> {
              while (writing.get()) {
                try {
                  if (Files.exists(file)) {
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    List<List<String>> records = Csv.parse(text);
                    if (!text.endsWith("\r\n")
                        || !records.get(0).equals(JournalRows.HEADER)
                        || (records.size() - 1) % 2 != 0) {
                      readerProblems.add("partial journal seen: " + records.size() + " records");
                    }
                  }
                } catch (IOException | RuntimeException e) {
                  readerProblems.add(e.toString());
                }
              }
            });
    reader.start();
    try {
      List<Future<ExportResult>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String number = String.format("INV-%06d", i % 50); // every invoice four times
        results.add(
            pool.submit(
                () -> connector.exportInvoice(Invoices.typical(number), Invoices.ACME, number)));
      }
      for (Future<ExportResult> f : results) {
        assertEquals(ExportResult.Kind.SUCCESS, f.get(30, TimeUnit.SECONDS).kind());
      }
    } finally {
      writing.set(false);
      reader.join();
      pool.shutdownNow();
    }

    assertEquals(List.of(), readerProblems);
    Map<String, Long> perKey =
        rows(file).stream()
            .collect(Collectors.groupingBy(m -> m.get("key"), Collectors.counting()));
    assertEquals(50, perKey.size());
    assertTrue("two lines per invoice, once", perKey.values().stream().allMatch(n -> n == 2));
    try (Stream<Path> left = Files.list(folder)) {
      assertEquals(
          "no temporary files left",
          List.of(),
          left.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
    }
  }

  @Test
  public void aTemporaryFileLeftByACrashIsIgnoredAndRemoved() throws IOException {
    Files.createDirectories(folder);
    Path stale = folder.resolve(".journal-0000-journal-2024-06-04.csv.tmp");
    Files.writeString(stale, "entry,key\r\nINVOICE,INV-000001\r\n");

    ExportResult r =
        connector.exportInvoice(Invoices.typical("INV-000001"), Invoices.ACME, "INV-000001");

    assertEquals(ExportResult.Kind.SUCCESS, r.kind());
    assertEquals(2, rows(journal("2024-06-04")).size());
    assertFalse(Files.exists(stale));
  }

  @Test
  public void aJournalEditedByHandIsAPermanentFailure() throws IOException {
    Files.createDirectories(folder);
    Files.writeString(journal("2024-06-04"), "Invoice;Amount\r\nX;1\r\n");

    ExportResult r =
        connector.exportInvoice(Invoices.typical("INV-000001"), Invoices.ACME, "INV-000001");

    assertEquals(ExportResult.Kind.PERMANENT, r.kind());
    assertTrue(r.message(), r.message().contains("journal-2024-06-04.csv"));
  }

  @Test
  public void anUnwritableFolderIsATransientFailure() throws IOException {
    Files.writeString(tmp.getRoot().toPath().resolve("journals"), "a file, not a folder");

    ExportResult r =
        connector.exportInvoice(Invoices.typical("INV-000001"), Invoices.ACME, "INV-000001");

    assertEquals(ExportResult.Kind.TRANSIENT, r.kind());
    assertNotEquals(null, r.message());
  }

  @Test
  public void theFolderSettingExpandsSystemProperties() {
    System.setProperty("fieldops.test.data", "/srv/karaf/data");
    try {
      assertEquals(
          "/srv/karaf/data/accounting-csv",
          CsvAccountingConnector.expand("${fieldops.test.data}/accounting-csv"));
    } finally {
      System.clearProperty("fieldops.test.data");
    }
  }
}
