package org.fieldops.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.UUID;

/**
 * Fixture for the fault tests, set up through the API as admin (the same request bodies as SyncIT):
 * a customer with a site, and a technician user linked to a technician record, to whom {@link
 * #dispatchedJob} assigns jobs. Also builds the JSON of field events and batches.
 */
final class FieldCrew {
  static final String TECH_PASSWORD = "crash-tech-password";

  private final DistributionProcess server;
  private final String customer;
  private final String site;
  private final String technician;
  final String techUser;

  private FieldCrew(
      DistributionProcess server,
      String customer,
      String site,
      String technician,
      String techUser) {
    this.server = server;
    this.customer = customer;
    this.site = site;
    this.technician = technician;
    this.techUser = techUser;
  }

  static FieldCrew create(DistributionProcess server, String label) throws IOException {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String techUser = "tech-" + suffix;
    server
        .admin(
            "POST",
            "/users",
            "{\"username\":\""
                + techUser
                + "\",\"password\":\""
                + TECH_PASSWORD
                + "\",\"roles\":[\"technician\"]}")
        .expect(201);
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
                "{\"customerId\":\"" + customer + "\",\"address\":\"1 Field Rd\"}")
            .expect(201)
            .get("id")
            .asText();
    String technician =
        server
            .admin(
                "POST",
                "/technicians",
                "{\"name\":\"" + label + " Tech\",\"username\":\"" + techUser + "\"}")
            .expect(201)
            .get("id")
            .asText();
    return new FieldCrew(server, customer, site, technician, techUser);
  }

  /** A new job assigned to the technician in hour {@code slot} (0–9) of the day; returns its id. */
  String dispatchedJob(String title, int slot) throws IOException {
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
    String hour = String.format("%02d", 8 + slot);
    String end = String.format("%02d", 9 + slot);
    server
        .admin(
            "PUT",
            "/jobs/" + job + "/assignment",
            "{\"technicianIds\":[\""
                + technician
                + "\"],\"start\":\"2026-12-03T"
                + hour
                + ":00:00Z\",\"end\":\"2026-12-03T"
                + end
                + ":00:00Z\"}")
        .expect(200);
    return job;
  }

  /** The whole work order, as admin. */
  JsonNode job(String id) throws IOException {
    return server.admin("GET", "/jobs/" + id, null).expect(200);
  }

  static ObjectNode event(String opId, long seq, String job, String type, ObjectNode data) {
    ObjectNode e = DistributionProcess.JSON.createObjectNode();
    e.put("opId", opId);
    e.put("seq", seq);
    e.put("jobId", job);
    e.put("type", type);
    e.put("occurredAt", "2026-12-03T09:05:00Z");
    e.put("baseVersion", 2);
    e.set("data", data);
    return e;
  }

  static ObjectNode note(String text) {
    return DistributionProcess.JSON.createObjectNode().put("text", text);
  }

  static String batch(String deviceId, List<ObjectNode> events) {
    ObjectNode b = DistributionProcess.JSON.createObjectNode();
    b.put("deviceId", deviceId);
    ArrayNode list = b.putArray("events");
    events.forEach(list::add);
    return b.toString();
  }
}
