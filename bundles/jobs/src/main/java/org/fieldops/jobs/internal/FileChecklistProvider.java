package org.fieldops.jobs.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fieldops.spi.checklist.ChecklistContext;
import org.fieldops.spi.checklist.ChecklistItem;
import org.fieldops.spi.checklist.ChecklistProvider;
import org.fieldops.spi.checklist.ChecklistTemplate;
import org.fieldops.spi.checklist.ItemType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in checklist provider: one JSON file per template in a folder ({@code
 * etc/fieldops/checklists} by default), read again when a file changes, so an operator adds a
 * checklist without code. A template applies to a job when its {@code appliesTo.jobTypes} match the
 * job's type (or are empty) and its {@code appliesTo.equipmentTypes} match one of the job's
 * equipment types (or are empty); a pattern is an exact type, {@code prefix.*} (the prefix and
 * everything under it) or {@code *}. A file that does not parse is logged and skipped. See
 * docs/checklists.md for the format.
 */
@Component(
    service = ChecklistProvider.class,
    configurationPid = "org.fieldops.checklists",
    property = "service.ranking:Integer=-100")
@Designate(ocd = FileChecklistProvider.Config.class)
public class FileChecklistProvider implements ChecklistProvider {
  private static final Logger LOG = LoggerFactory.getLogger(FileChecklistProvider.class);

  @ObjectClassDefinition(
      name = "FieldOps checklist files",
      description = "Checklist templates from JSON files")
  public @interface Config {
    @AttributeDefinition(
        description = "Folder of *.json templates; empty means ${karaf.etc}/fieldops/checklists")
    String directory() default "";
  }

  /** A template file. */
  record TemplateFile(
      String id, Integer version, String title, AppliesTo appliesTo, List<ItemFile> items) {}

  record AppliesTo(List<String> jobTypes, List<String> equipmentTypes) {}

  record ItemFile(
      String id,
      String label,
      ItemType type,
      Boolean required,
      BigDecimal min,
      BigDecimal max,
      String unit,
      List<String> choices) {}

  private record Loaded(long modified, ChecklistTemplate template, AppliesTo appliesTo) {}

  private final Path directory;
  private final ObjectMapper json =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final Map<Path, Loaded> cache = new ConcurrentHashMap<>();

  @Activate
  public FileChecklistProvider(Config config) {
    this(
        config.directory().isBlank()
            ? Path.of(System.getProperty("karaf.etc", "etc"), "fieldops", "checklists")
            : Path.of(config.directory()));
  }

  FileChecklistProvider(Path directory) {
    this.directory = directory;
  }

  @Override
  public List<ChecklistTemplate> templatesFor(ChecklistContext context) {
    List<ChecklistTemplate> out = new ArrayList<>();
    for (Loaded l : load()) {
      if (applies(l.appliesTo(), context)) {
        out.add(l.template());
      }
    }
    return out;
  }

  static boolean applies(AppliesTo a, ChecklistContext c) {
    List<String> jobTypes = a == null || a.jobTypes() == null ? List.of() : a.jobTypes();
    List<String> equipment =
        a == null || a.equipmentTypes() == null ? List.of() : a.equipmentTypes();
    boolean jobOk = jobTypes.isEmpty() || jobTypes.stream().anyMatch(p -> matches(p, c.jobType()));
    boolean equipmentOk =
        equipment.isEmpty()
            || c.equipmentTypes().stream()
                .anyMatch(t -> equipment.stream().anyMatch(p -> matches(p, t)));
    return jobOk && equipmentOk;
  }

  static boolean matches(String pattern, String type) {
    if (type == null) {
      return false;
    }
    if ("*".equals(pattern)) {
      return true;
    }
    if (pattern.endsWith(".*")) {
      String prefix = pattern.substring(0, pattern.length() - 2);
      return type.equals(prefix) || type.startsWith(prefix + ".");
    }
    return pattern.equals(type);
  }

  private List<Loaded> load() {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    List<Loaded> out = new ArrayList<>();
    List<Path> seen = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
      for (Path file : files) {
        seen.add(file);
        Loaded l = read(file);
        if (l != null) {
          out.add(l);
        }
      }
    } catch (IOException e) {
      LOG.warn("Cannot list checklist templates in {}: {}", directory, e.toString());
    }
    cache.keySet().retainAll(seen);
    out.sort((a, b) -> a.template().id().compareTo(b.template().id()));
    return out;
  }

  private Loaded read(Path file) {
    try {
      long modified = Files.getLastModifiedTime(file).toMillis();
      Loaded cached = cache.get(file);
      if (cached != null && cached.modified() == modified) {
        return cached;
      }
      TemplateFile f = json.readValue(file.toFile(), TemplateFile.class);
      List<ChecklistItem> items = new ArrayList<>();
      for (ItemFile i : f.items() == null ? List.<ItemFile>of() : f.items()) {
        items.add(
            new ChecklistItem(
                i.id(),
                i.label(),
                i.type(),
                Boolean.TRUE.equals(i.required()),
                i.min(),
                i.max(),
                i.unit(),
                i.choices()));
      }
      ChecklistTemplate template =
          new ChecklistTemplate(f.id(), f.version() == null ? 1 : f.version(), f.title(), items);
      Loaded l = new Loaded(modified, template, f.appliesTo());
      cache.put(file, l);
      return l;
    } catch (IOException | RuntimeException e) {
      LOG.warn("Skipping checklist template {}: {}", file, e.getMessage());
      cache.remove(file);
      return null;
    }
  }
}
