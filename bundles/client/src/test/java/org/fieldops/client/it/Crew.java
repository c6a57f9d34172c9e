package org.fieldops.client.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A technician of their own for each test, set up as admin through the API: user, technician
 * record, a customer with a site, a labor rate and a part, and jobs assigned {@link #DAY} (tomorrow
 * in the server's default business zone, UTC: a packet of two days holds them even if the test runs
 * across midnight).
 */
final class Crew {
  static final String PASSWORD = "client-it-tech";
  static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).plusDays(1);

  final ServerProcess server;
  final String user;
  final String technician;
  final String customer;
  final String site;
  final String rate;
  final String sku;

  private Crew(
      ServerProcess server,
      String user,
      String technician,
      String customer,
      String site,
      String rate,
      String sku) {
    this.server = server;
    this.user = user;
    this.technician = technician;
    this.customer = customer;
    this.site = site;
    this.rate = rate;
    this.sku = sku;
  }

  static Crew create(ServerProcess server, String label) throws IOException {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String user = "tech-" + suffix;
    server
        .admin(
            "POST",
            "/users",
            "{\"username\":\""
                + user
                + "\",\"password\":\""
                + PASSWORD
                + "\",\"roles\":[\"technician\"]}")
        .expect(201);
    String technician =
        server
            .admin(
                "POST",
                "/technicians",
                "{\"name\":\"" + label + " Tech\",\"username\":\"" + user + "\"}")
            .expect(201)
            .get("id")
            .asText();
    String customer =
        server
            .admin("POST", "/customers", "{\"name\":\"" + label + " Co\",\"currency\":\"USD\"}")
            .expect(201)
            .get("id")
            .asText();
    String site =
        server
            .admin(
                "POST",
                "/sites",
                "{\"customerId\":\""
                    + customer
                    + "\",\"address\":\"1 Field Rd\",\"accessNotes\":\"gate 1234\"}")
            .expect(201)
            .get("id")
            .asText();
    String code = suffix.toUpperCase();
    server
        .admin(
            "POST",
            "/pricebook/labor-rates",
            "{\"code\":\"L-"
                + code
                + "\",\"name\":\"Service hour\",\"hourlyRate\":\"100.00\",\"currency\":\"USD\"}")
        .expect(201);
    server
        .admin(
            "POST",
            "/pricebook/parts",
            "{\"sku\":\"P-"
                + code
                + "\",\"name\":\"Fuse\",\"unitPrice\":\"5.00\",\"currency\":\"USD\"}")
        .expect(201);
    return new Crew(server, user, technician, customer, site, "L-" + code, "P-" + code);
  }

  /** A job assigned to the technician at {@code hour}:00 on {@link #DAY}; returns its id. */
  String job(String title, int hour) throws IOException {
    String job =
        server
            .admin(
                "POST",
                "/jobs",
                "{\"customerId\":\""
                    + customer
                    + "\",\"siteId\":\""
                    + site
                    + "\",\"title\":\""
                    + title
                    + "\",\"type\":\"general.service\"}")
            .expect(201)
            .get("id")
            .asText();
    server
        .admin(
            "PUT",
            "/jobs/" + job + "/assignment",
            String.format(
                "{\"technicianIds\":[\"%s\"],\"start\":\"%sT%02d:00:00Z\",\"end\":\"%sT%02d:00:00Z\"}",
                technician, DAY, hour, DAY, hour + 1))
        .expect(200);
    return job;
  }

  JsonNode record(String job) throws IOException {
    return server.admin("GET", "/jobs/" + job, null).expect(200);
  }

  /**
   * How many photos (or signatures) the job shows: as {@code NOTE} lines ({@code photo <sha>...},
   * the server of sync-protocol.md v1) or in the record's {@code media} list, where a newer server
   * keeps them.
   */
  long media(String job, String kind) throws IOException {
    JsonNode r = record(job);
    long n = 0;
    for (JsonNode note : r.path("notes")) {
      if (note.path("text").asText().startsWith(kind + " ")) {
        n++;
      }
    }
    for (JsonNode m : r.path("media")) {
      if (kind.equals(m.path("kind").asText())) {
        n++;
      }
    }
    return n;
  }

  /** The texts of the job's notes, in the record's order. */
  List<String> notes(String job) throws IOException {
    List<String> out = new ArrayList<>();
    record(job).path("notes").forEach(n -> out.add(n.path("text").asText()));
    return out;
  }
}
