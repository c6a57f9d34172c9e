package org.fieldops.rest.internal;

import static org.fieldops.rest.internal.Responses.JSON;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.annotation.security.RolesAllowed;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.StreamingOutput;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.fieldops.api.FieldError;
import org.fieldops.api.ValidationException;
import org.fieldops.api.reports.Report;
import org.fieldops.api.reports.ReportColumn;
import org.fieldops.api.reports.ReportQuery;
import org.fieldops.api.reports.ReportService;

/**
 * Reports ({@code GET /reports}, {@code GET /reports/{name}?from=&to=&groupBy=}) as JSON, or as RFC
 * 4180 CSV with {@code Accept: text/csv} (or {@code ?format=csv} for a plain download link).
 * Dispatchers see the operations reports, finance all.
 */
@Path("/reports")
@RolesAllowed({"dispatcher", "finance"})
public class ReportResource {
  static final String CSV = "text/csv";

  private final ReportService reports;

  public ReportResource(ReportService reports) {
    this.reports = reports;
  }

  /** The reports the caller may run. */
  @GET
  @Produces(JSON)
  public Map<String, Object> list(@Context SecurityContext security) {
    return Map.of("items", reports.definitions(AuthFilter.caller(security)));
  }

  @GET
  @Path("{name}")
  @Produces({JSON, CSV})
  public Response get(
      @PathParam("name") String name,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("groupBy") String groupBy,
      @QueryParam("staleAfterMinutes") String staleAfterMinutes,
      @QueryParam("format") String format,
      @Context HttpHeaders headers,
      @Context SecurityContext security) {
    List<FieldError> errors = new ArrayList<>();
    LocalDate fromDay = date("from", from, errors);
    LocalDate toDay = date("to", to, errors);
    Integer stale = null;
    if (staleAfterMinutes != null) {
      try {
        stale = Integer.valueOf(staleAfterMinutes.strip());
      } catch (NumberFormatException e) {
        errors.add(new FieldError("staleAfterMinutes", "must be a whole number of minutes"));
      }
    }
    boolean csv = csv(format, headers, errors);
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    Report report =
        reports.run(
            name,
            new ReportQuery(
                fromDay, toDay, groupBy == null || groupBy.isBlank() ? null : groupBy, stale),
            AuthFilter.caller(security));
    if (!csv) {
      return Response.ok(json(report), JSON).header("Cache-Control", "no-store").build();
    }
    StreamingOutput body = out -> writeCsv(report, out);
    return Response.ok(body, CSV + "; charset=UTF-8")
        .header("Cache-Control", "no-store")
        .header(
            "Content-Disposition",
            "attachment; filename=\""
                + report.name()
                + "_"
                + report.from()
                + "_"
                + report.to()
                + ".csv\"")
        .build();
  }

  /**
   * The report as JSON: the API writes decimals as strings (money), but a report's NUMBER and RATIO
   * columns are JSON numbers; MONEY stays a string.
   */
  static Map<String, Object> json(Report report) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("name", report.name());
    out.put("title", report.title());
    out.put("from", report.from());
    out.put("to", report.to());
    out.put("groupBy", report.groupBy());
    out.put("zone", report.zone());
    out.put("generatedAt", report.generatedAt());
    out.put("columns", report.columns());
    out.put("rows", report.rows().stream().map(ReportResource::numbers).toList());
    out.put("totals", report.totals() == null ? null : numbers(report.totals()));
    return out;
  }

  private static Map<String, Object> numbers(Map<String, Object> row) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    row.forEach(
        (k, v) -> out.put(k, v instanceof java.math.BigDecimal d ? (Object) d.doubleValue() : v));
    return out;
  }

  /** CSV if asked by {@code format=csv}, or by an Accept that prefers text/csv to JSON. */
  private static boolean csv(String format, HttpHeaders headers, List<FieldError> errors) {
    if (format != null) {
      switch (format.strip()) {
        case "csv":
          return true;
        case "json":
          return false;
        default:
          errors.add(new FieldError("format", "must be csv or json"));
          return false;
      }
    }
    for (MediaType m : headers.getAcceptableMediaTypes()) {
      if (m.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !m.isWildcardType()) {
        return false;
      }
      if ("text".equals(m.getType()) && "csv".equals(m.getSubtype())) {
        return true;
      }
    }
    return false;
  }

  /** The rows as RFC 4180 CSV: a header of column names, then one record per row. */
  static void writeCsv(Report report, java.io.OutputStream out) throws IOException {
    Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    List<String> names = report.columns().stream().map(ReportColumn::name).toList();
    CSVFormat format = CSVFormat.RFC4180.builder().setHeader(names.toArray(String[]::new)).get();
    try (CSVPrinter printer = new CSVPrinter(w, format)) {
      for (Map<String, Object> row : report.rows()) {
        List<String> values = new ArrayList<>(names.size());
        for (String n : names) {
          Object v = row.get(n);
          values.add(
              v == null
                  ? ""
                  : v instanceof java.math.BigDecimal d ? d.toPlainString() : v.toString());
        }
        printer.printRecord(values);
      }
    }
  }

  private static LocalDate date(String field, String value, List<FieldError> errors) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(value.strip());
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(field, "must be a date, YYYY-MM-DD"));
      return null;
    }
  }
}
