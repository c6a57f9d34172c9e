package org.fieldops.jobs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.fieldops.spi.checklist.ChecklistContext;
import org.fieldops.spi.checklist.ChecklistItem;
import org.fieldops.spi.checklist.ChecklistTemplate;
import org.fieldops.spi.checklist.ItemType;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The built-in provider: JSON template files in a folder, matched by job and equipment type. */
public class FileChecklistProviderTest {
  /** The shipped templates, relative to the module folder (where Maven runs the tests). */
  static final Path SHIPPED =
      Path.of("../../karaf-distribution/src/main/resources/assembly/etc/fieldops/checklists");

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private Path dir;
  private FileChecklistProvider provider;

  @Before
  public void setUp() throws IOException {
    dir = folder.newFolder("checklists").toPath();
    provider = new FileChecklistProvider(dir);
  }

  // --- helpers ---

  private Path write(String file, String json) throws IOException {
    Path p = dir.resolve(file);
    Files.writeString(p, json.replace('\'', '"'), StandardCharsets.UTF_8);
    return p;
  }

  /**
   * A minimal valid template with one YES_NO item; {@code appliesTo} is JSON (single quotes) or
   * null.
   */
  private Path template(String id, String appliesTo) throws IOException {
    return write(
        id + ".json",
        "{'id': '"
            + id
            + "', 'version': 1, 'title': 'T "
            + id
            + "', "
            + (appliesTo == null ? "" : "'appliesTo': " + appliesTo + ", ")
            + "'items': [{'id': 'ok', 'label': 'OK?', 'type': 'YES_NO', 'required': true}]}");
  }

  private static ChecklistContext job(String jobType, String... equipmentTypes) {
    return new ChecklistContext("job-1", jobType, List.of(equipmentTypes), "customer-1");
  }

  private List<String> ids(ChecklistContext context) {
    List<String> out = new ArrayList<>();
    provider.templatesFor(context).forEach(t -> out.add(t.id()));
    return out;
  }

  /**
   * Whether a template with this {@code appliesTo} applies to the job (a fresh folder and provider
   * each time).
   */
  private boolean applies(String appliesTo, ChecklistContext context) throws IOException {
    dir = folder.newFolder().toPath();
    provider = new FileChecklistProvider(dir);
    template("t", appliesTo);
    List<String> out = ids(context);
    assertTrue(out.toString(), out.isEmpty() || out.equals(List.of("t")));
    return !out.isEmpty();
  }

  // --- reading ---

  @Test
  public void readsEveryItemTypeWithItsAttributes() throws IOException {
    write(
        "full.json",
        "{'id': 'full', 'version': 3, 'title': 'Full', 'appliesTo': {'jobTypes': ['*']}, 'items': ["
            + "{'id': 'yes', 'label': 'Yes?', 'type': 'YES_NO', 'required': true},"
            + "{'id': 'psi', 'label': 'Pressure', 'type': 'NUMBER', 'min': 0, 'max': 300.5, 'unit': 'psi', 'required': true},"
            + "{'id': 'notes', 'label': 'Notes', 'type': 'TEXT'},"
            + "{'id': 'state', 'label': 'State', 'type': 'CHOICE', 'choices': ['good', 'worn'], 'required': false},"
            + "{'id': 'photo', 'label': 'Photo', 'type': 'PHOTO', 'required': true}]}");

    List<ChecklistTemplate> out = provider.templatesFor(job("hvac.maintenance"));

    assertEquals(1, out.size());
    ChecklistTemplate t = out.get(0);
    assertEquals("full", t.id());
    assertEquals(3, t.version());
    assertEquals("Full", t.title());
    assertEquals(
        List.of(
            new ChecklistItem("yes", "Yes?", ItemType.YES_NO, true, null, null, null, null),
            new ChecklistItem(
                "psi",
                "Pressure",
                ItemType.NUMBER,
                true,
                new BigDecimal("0"),
                new BigDecimal("300.5"),
                "psi",
                null),
            new ChecklistItem("notes", "Notes", ItemType.TEXT, false, null, null, null, null),
            new ChecklistItem(
                "state",
                "State",
                ItemType.CHOICE,
                false,
                null,
                null,
                null,
                List.of("good", "worn")),
            new ChecklistItem("photo", "Photo", ItemType.PHOTO, true, null, null, null, null)),
        t.items());
  }

  @Test
  public void aMissingVersionIsOne() throws IOException {
    write("v.json", "{'id': 'v', 'title': 'V', 'items': []}");
    List<ChecklistTemplate> out = provider.templatesFor(job("x"));
    assertEquals(1, out.size());
    assertEquals(1, out.get(0).version());
  }

  @Test
  public void templatesComeSortedByIdAndOnlyJsonFilesCount() throws IOException {
    template("zeta", null);
    template("alpha", null);
    template("mid", null);
    write("readme.txt", "not a template");
    write("backup.json.bak", "{'id': 'bak', 'title': 'B', 'items': []}");
    assertEquals(List.of("alpha", "mid", "zeta"), ids(job("hvac.maintenance")));
  }

  @Test
  public void aMissingFolderMeansNoTemplates() {
    FileChecklistProvider none = new FileChecklistProvider(dir.resolve("does-not-exist"));
    assertEquals(List.of(), none.templatesFor(job("hvac.maintenance")));
  }

  // --- matching ---

  @Test
  public void anExactJobTypeMatchesOnlyItself() throws IOException {
    String rule = "{'jobTypes': ['hvac.maintenance']}";
    assertTrue(applies(rule, job("hvac.maintenance")));
    assertFalse(applies(rule, job("hvac.repair")));
    assertFalse(applies(rule, job("hvac")));
    assertFalse(applies(rule, job("hvac.maintenance.annual")));
  }

  @Test
  public void aPrefixPatternMatchesThePrefixAndEverythingBelowIt() throws IOException {
    String rule = "{'jobTypes': ['hvac.*']}";
    assertTrue(applies(rule, job("hvac")));
    assertTrue(applies(rule, job("hvac.maintenance")));
    assertTrue(applies(rule, job("hvac.maintenance.annual")));
    assertFalse(applies(rule, job("hvacother")));
    assertFalse(applies(rule, job("hvacother.repair")));
    assertFalse(applies(rule, job("plumbing.hvac")));
  }

  @Test
  public void aStarMatchesEveryType() throws IOException {
    assertTrue(applies("{'jobTypes': ['*']}", job("anything.at.all")));
    assertTrue(applies("{'jobTypes': ['*']}", job("x")));
    assertTrue(applies("{'equipmentTypes': ['*']}", job("x", "boiler")));
  }

  @Test
  public void emptyOrMissingListsMatchEveryJob() throws IOException {
    assertTrue(applies(null, job("x")));
    assertTrue(applies("{}", job("x", "boiler")));
    assertTrue(applies("{'jobTypes': [], 'equipmentTypes': []}", job("x")));
    assertTrue(applies("{'jobTypes': [], 'equipmentTypes': []}", job("x", "boiler")));
    assertTrue(applies("{'jobTypes': null, 'equipmentTypes': null}", job("x")));
  }

  @Test
  public void equipmentTypesMatchAnyOfTheJobsEquipment() throws IOException {
    String rule = "{'equipmentTypes': ['plumbing.pump', 'boiler']}";
    assertTrue(applies(rule, job("x", "hvac.rooftop", "plumbing.pump")));
    assertTrue(applies(rule, job("x", "boiler")));
    assertFalse(applies(rule, job("x", "hvac.rooftop")));
    assertFalse(applies(rule, job("x", "plumbing.pump.inline")));
    assertFalse("a job without equipment matches no equipment rule", applies(rule, job("x")));
    assertTrue(applies("{'equipmentTypes': ['plumbing.*']}", job("x", "plumbing.pump.inline")));
  }

  @Test
  public void jobTypesAndEquipmentTypesMustBothHold() throws IOException {
    String rule = "{'jobTypes': ['hvac.*'], 'equipmentTypes': ['hvac.rooftop']}";
    assertTrue(applies(rule, job("hvac.maintenance", "hvac.rooftop")));
    assertFalse(applies(rule, job("plumbing.repair", "hvac.rooftop")));
    assertFalse(applies(rule, job("hvac.maintenance", "boiler")));
    assertFalse(applies(rule, job("hvac.maintenance")));
  }

  @Test
  public void severalPatternsMatchIfAnyDoes() throws IOException {
    String rule = "{'jobTypes': ['plumbing.*', 'hvac.repair']}";
    assertTrue(applies(rule, job("plumbing.install")));
    assertTrue(applies(rule, job("hvac.repair")));
    assertFalse(applies(rule, job("hvac.maintenance")));
  }

  @Test
  public void onlyTheMatchingTemplatesOfTheFolderApply() throws IOException {
    template("safety", "{'jobTypes': ['*']}");
    template("hvac", "{'jobTypes': ['hvac.*']}");
    template("pump", "{'equipmentTypes': ['plumbing.pump']}");
    assertEquals(List.of("hvac", "safety"), ids(job("hvac.maintenance", "hvac.rooftop")));
    assertEquals(List.of("pump", "safety"), ids(job("plumbing.repair", "plumbing.pump")));
    assertEquals(List.of("safety"), ids(job("electrical.install")));
  }

  // --- bad files ---

  @Test
  public void badFilesAreSkippedAndGoodOnesStillLoad() throws IOException {
    template("good", null);
    write("malformed.json", "{'id': 'malformed', 'title': 'M', 'items': [");
    write("empty.json", "");
    write("not-an-object.json", "[1, 2, 3]");
    write(
        "bad-item-id.json",
        "{'id': 'bad-item-id', 'title': 'B', 'items': "
            + "[{'id': 'Bad Id!', 'label': 'L', 'type': 'YES_NO'}]}");
    write(
        "choice-without-choices.json",
        "{'id': 'choice-without-choices', 'title': 'C', 'items': "
            + "[{'id': 'c', 'label': 'L', 'type': 'CHOICE'}]}");
    write(
        "choice-with-empty-choices.json",
        "{'id': 'choice-with-empty-choices', 'title': 'C', 'items': "
            + "[{'id': 'c', 'label': 'L', 'type': 'CHOICE', 'choices': []}]}");
    write(
        "unknown-field.json",
        "{'id': 'unknown-field', 'title': 'U', 'colour': 'red', 'items': []}");
    write(
        "unknown-item-field.json",
        "{'id': 'unknown-item-field', 'title': 'U', 'items': "
            + "[{'id': 'a', 'label': 'L', 'type': 'YES_NO', 'mandatory': true}]}");
    write(
        "unknown-applies-field.json",
        "{'id': 'unknown-applies-field', 'title': 'U', "
            + "'appliesTo': {'jobType': ['hvac.*']}, 'items': []}");
    write(
        "unknown-type.json",
        "{'id': 'unknown-type', 'title': 'U', 'items': "
            + "[{'id': 'a', 'label': 'L', 'type': 'SIGNATURE'}]}");
    write("bad-template-id.json", "{'id': 'Bad Template', 'title': 'B', 'items': []}");
    write("version-zero.json", "{'id': 'version-zero', 'version': 0, 'title': 'V', 'items': []}");
    write("no-title.json", "{'id': 'no-title', 'items': []}");
    write(
        "no-label.json",
        "{'id': 'no-label', 'title': 'N', 'items': [{'id': 'a', 'type': 'YES_NO'}]}");
    write(
        "duplicate-item.json",
        "{'id': 'duplicate-item', 'title': 'D', 'items': ["
            + "{'id': 'a', 'label': 'L', 'type': 'YES_NO'}, {'id': 'a', 'label': 'L', 'type': 'TEXT'}]}");
    write(
        "min-above-max.json",
        "{'id': 'min-above-max', 'title': 'M', 'items': "
            + "[{'id': 'n', 'label': 'N', 'type': 'NUMBER', 'min': 10, 'max': 1}]}");

    assertEquals(List.of("good"), ids(job("hvac.maintenance", "hvac.rooftop")));
  }

  @Test
  public void aFileThatBreaksIsDroppedAndAFixedOneComesBack() throws IOException {
    Path p = template("t", null);
    assertEquals(List.of("t"), ids(job("x")));
    Files.writeString(p, "{ broken", StandardCharsets.UTF_8);
    Files.setLastModifiedTime(
        p, FileTime.fromMillis(Files.getLastModifiedTime(p).toMillis() + 10_000));
    assertEquals(List.of(), ids(job("x")));
    template("t", null);
    Files.setLastModifiedTime(
        p, FileTime.fromMillis(Files.getLastModifiedTime(p).toMillis() + 20_000));
    assertEquals(List.of("t"), ids(job("x")));
  }

  // --- changes ---

  @Test
  public void aChangedFileIsReadAgain() throws IOException {
    Path p = write("t.json", "{'id': 't', 'version': 1, 'title': 'First', 'items': []}");
    FileTime first = FileTime.fromMillis(1_700_000_000_000L);
    Files.setLastModifiedTime(p, first);
    assertEquals("First", provider.templatesFor(job("x")).get(0).title());

    write(
        "t.json",
        "{'id': 't', 'version': 2, 'title': 'Second', 'items': "
            + "[{'id': 'new', 'label': 'New', 'type': 'YES_NO', 'required': true}]}");
    Files.setLastModifiedTime(p, FileTime.fromMillis(first.toMillis() + 60_000));

    ChecklistTemplate t = provider.templatesFor(job("x")).get(0);
    assertEquals("Second", t.title());
    assertEquals(2, t.version());
    assertEquals(1, t.items().size());
  }

  @Test
  public void anUnchangedFileIsServedFromTheCache() throws IOException {
    Path p = write("t.json", "{'id': 't', 'version': 1, 'title': 'First', 'items': []}");
    FileTime stamp = FileTime.fromMillis(1_700_000_000_000L);
    Files.setLastModifiedTime(p, stamp);
    assertEquals("First", provider.templatesFor(job("x")).get(0).title());
    // same modification time: not parsed again (even if the content differs)
    write("t.json", "{'id': 't', 'version': 1, 'title': 'Other', 'items': []}");
    Files.setLastModifiedTime(p, stamp);
    assertEquals("First", provider.templatesFor(job("x")).get(0).title());
  }

  @Test
  public void addedAndDeletedFilesAreNoticed() throws IOException {
    template("a", null);
    assertEquals(List.of("a"), ids(job("x")));
    Path b = template("b", null);
    assertEquals(List.of("a", "b"), ids(job("x")));
    Files.delete(b);
    assertEquals(List.of("a"), ids(job("x")));
  }

  // --- the shipped files ---

  @Test
  public void theShippedTemplatesParse() throws IOException {
    assertTrue("shipped templates at " + SHIPPED.toAbsolutePath(), Files.isDirectory(SHIPPED));
    List<String> files = new ArrayList<>();
    try (var stream = Files.newDirectoryStream(SHIPPED, "*.json")) {
      stream.forEach(p -> files.add(p.getFileName().toString()));
    }
    FileChecklistProvider shipped = new FileChecklistProvider(SHIPPED);

    // every file loads: with both lists empty-matching, one of each kind of job sees all of them
    List<ChecklistTemplate> all = shipped.templatesFor(job("plumbing.repair", "plumbing.pump"));
    assertEquals(files.size(), all.size());
    assertEquals(
        List.of("pump-service", "site-safety"), all.stream().map(ChecklistTemplate::id).toList());

    ChecklistTemplate pump = all.get(0);
    assertEquals(1, pump.version());
    assertEquals("Pump service", pump.title());
    assertEquals(
        List.of("seal-ok", "discharge-pressure", "motor-condition", "nameplate-photo"),
        pump.items().stream().map(ChecklistItem::id).toList());
    ChecklistItem pressure = pump.items().get(1);
    assertEquals(ItemType.NUMBER, pressure.type());
    assertEquals(0, BigDecimal.ZERO.compareTo(pressure.min()));
    assertEquals(0, new BigDecimal("300").compareTo(pressure.max()));
    assertEquals("psi", pressure.unit());
    assertEquals(List.of("good", "worn", "replace"), pump.items().get(2).choices());
    assertFalse(pump.items().get(3).required());

    ChecklistTemplate safety = all.get(1);
    assertEquals(
        List.of("ppe", "hazards"), safety.items().stream().map(ChecklistItem::id).toList());
    assertTrue(safety.items().get(0).required());
    assertFalse(safety.items().get(1).required());

    // site safety applies to every job, pump service only where there is a pump
    assertEquals(
        List.of("site-safety"),
        shipped.templatesFor(job("hvac.maintenance", "hvac.rooftop")).stream()
            .map(ChecklistTemplate::id)
            .toList());
  }
}
