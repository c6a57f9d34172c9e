package org.fieldops.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.security.PermitAll;
import javax.annotation.security.RolesAllowed;
import javax.ws.rs.BeanParam;
import javax.ws.rs.Consumes;
import javax.ws.rs.CookieParam;
import javax.ws.rs.FormParam;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.HttpMethod;
import javax.ws.rs.MatrixParam;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Request;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Keeps {@code openapi.json} honest: the document describes exactly the (method, path) pairs the
 * resource classes implement, with their parameters, bodies, roles and error responses, and every
 * {@code $ref} in it resolves.
 */
public class OpenApiDocumentTest {
  /** The resources {@link RestApplication} registers. Add a new resource class here. */
  private static final List<Class<?>> RESOURCES =
      List.of(
          PlatformResource.class,
          UserResource.class,
          CustomerResource.class,
          SiteResource.class,
          EquipmentResource.class,
          TechnicianResource.class,
          JobResource.class,
          PriceBookResource.class,
          MediaResource.class,
          FieldSyncResource.class,
          DeviceResource.class,
          ReviewResource.class,
          RejectionResource.class,
          InvoiceResource.class,
          AccountingExportResource.class,
          BoardResource.class,
          ReportResource.class,
          PluginResource.class);

  private static final Set<String> HTTP_METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final Pattern TEMPLATE = Pattern.compile("\\{\\s*([^}:\\s]+)\\s*(?::[^}]*)?}");
  private static final Set<Class<? extends Annotation>> NON_ENTITY =
      Set.of(
          PathParam.class,
          QueryParam.class,
          HeaderParam.class,
          CookieParam.class,
          FormParam.class,
          MatrixParam.class,
          BeanParam.class,
          Context.class);

  private static JsonNode doc;
  private static Map<String, Operation> implemented;

  /** One resource method as JAX-RS sees it. */
  record Operation(
      String method,
      String path,
      Method javaMethod,
      Set<String> pathParams,
      Set<String> queryParams,
      Set<String> headerParams,
      boolean hasBody,
      List<String> consumes,
      boolean permitAll,
      List<String> roles) {
    String key() {
      return key(method, path);
    }

    static String key(String method, String path) {
      return method.toUpperCase(java.util.Locale.ROOT) + " " + path;
    }

    String where() {
      return javaMethod.getDeclaringClass().getSimpleName() + "." + javaMethod.getName();
    }
  }

  @BeforeClass
  public static void load() throws IOException {
    try (InputStream in = PlatformResource.class.getResourceAsStream("openapi.json")) {
      assertNotNull("openapi.json is not on the classpath next to PlatformResource", in);
      doc = new ObjectMapper().readTree(in);
    }
    implemented = new TreeMap<>();
    for (Class<?> resource : RESOURCES) {
      for (Operation op : operationsOf(resource)) {
        Operation previous = implemented.put(op.key(), op);
        if (previous != null) {
          fail(op.key() + " is implemented twice: " + previous.where() + " and " + op.where());
        }
      }
    }
    assertFalse("no resource methods found", implemented.isEmpty());
  }

  @Test
  public void isOpenApi303ServedUnderApiV1() {
    assertEquals("3.0.3", doc.path("openapi").asText());
    assertTrue("info.title", doc.path("info").path("title").isTextual());
    assertTrue("info.version", doc.path("info").path("version").isTextual());
    assertEquals("/api/v1", doc.path("servers").path(0).path("url").asText());
    JsonNode basic = doc.path("components").path("securitySchemes").path("basicAuth");
    assertEquals("http", basic.path("type").asText());
    assertEquals("basic", basic.path("scheme").asText());
    assertTrue("basicAuth must apply globally", doc.path("security").path(0).has("basicAuth"));
  }

  @Test
  public void documentsExactlyTheImplementedOperations() {
    Map<String, String> documented = new TreeMap<>();
    forEachOperation(
        (method, path, op) -> documented.put(normalize(method, path), Operation.key(method, path)));
    Map<String, String> actual = new TreeMap<>();
    implemented
        .values()
        .forEach(
            op ->
                actual.put(normalize(op.method(), op.path()), op.key() + " (" + op.where() + ")"));

    Set<String> undocumented = new TreeSet<>(actual.keySet());
    undocumented.removeAll(documented.keySet());
    Set<String> notImplemented = new TreeSet<>(documented.keySet());
    notImplemented.removeAll(actual.keySet());
    if (!undocumented.isEmpty() || !notImplemented.isEmpty()) {
      StringBuilder msg = new StringBuilder("openapi.json and the resources disagree.");
      if (!undocumented.isEmpty()) {
        msg.append("\n  implemented but not in openapi.json:");
        undocumented.forEach(k -> msg.append("\n    ").append(actual.get(k)));
      }
      if (!notImplemented.isEmpty()) {
        msg.append("\n  in openapi.json but not implemented:");
        notImplemented.forEach(k -> msg.append("\n    ").append(documented.get(k)));
      }
      fail(msg.toString());
    }
    // Same templates, also by name: the document's path parameters are the code's.
    forEachImplemented(
        (method, path, op, impl) ->
            assertEquals(
                Operation.key(method, path) + ": path template names",
                impl.path(),
                templatesStripped(path)));
  }

  @Test
  public void parametersMatchTheResourceMethods() {
    List<String> problems = new ArrayList<>();
    forEachImplemented(
        (method, path, op, impl) -> {
          String name = impl.key();
          Map<String, Set<String>> byLocation = new TreeMap<>();
          List<JsonNode> params = new ArrayList<>();
          doc.path("paths").path(path).path("parameters").forEach(params::add);
          op.path("parameters").forEach(params::add);
          for (JsonNode p : params) {
            JsonNode resolved = resolve(p);
            if (resolved.isMissingNode()) {
              continue; // reported by everyRefResolves
            }
            String in = resolved.path("in").asText();
            String pname = resolved.path("name").asText();
            if (!byLocation
                .computeIfAbsent(in, x -> new TreeSet<>())
                .add(in.equals("header") ? pname.toLowerCase() : pname)) {
              problems.add(name + ": parameter " + in + " " + pname + " listed twice");
            }
            if (in.equals("path") && !resolved.path("required").asBoolean(false)) {
              problems.add(name + ": path parameter " + pname + " must be required");
            }
          }
          compare(
              problems, name, "path", byLocation.getOrDefault("path", Set.of()), impl.pathParams());
          compare(
              problems,
              name,
              "query",
              byLocation.getOrDefault("query", Set.of()),
              impl.queryParams());
          compare(
              problems,
              name,
              "header",
              byLocation.getOrDefault("header", Set.of()),
              lower(impl.headerParams()));
        });
    assertNoProblems(problems);
  }

  @Test
  public void requestBodiesMatchTheResourceMethods() {
    List<String> problems = new ArrayList<>();
    forEachImplemented(
        (method, path, op, impl) -> {
          JsonNode body = resolve(op.path("requestBody"));
          if (impl.hasBody() != !body.isMissingNode()) {
            problems.add(
                impl.key()
                    + ": the code "
                    + (impl.hasBody() ? "reads" : "reads no")
                    + " request body but the document "
                    + (body.isMissingNode() ? "has none" : "has one"));
            return;
          }
          if (!impl.hasBody()) {
            return;
          }
          Set<String> documented = new TreeSet<>();
          body.path("content").fieldNames().forEachRemaining(documented::add);
          if (!documented.equals(new TreeSet<>(impl.consumes()))) {
            problems.add(
                impl.key()
                    + ": request media types "
                    + documented
                    + " but @Consumes "
                    + impl.consumes());
          }
          body.path("content")
              .forEach(
                  media -> {
                    if (!media.path("schema").has("$ref")) {
                      problems.add(
                          impl.key() + ": request body schema should be a $ref to a component");
                    }
                  });
        });
    assertNoProblems(problems);
  }

  @Test
  public void securityAndRolesMatchTheAnnotations() {
    List<String> problems = new ArrayList<>();
    forEachImplemented(
        (method, path, op, impl) -> {
          JsonNode security = op.path("security");
          String description = op.path("description").asText();
          if (impl.permitAll()) {
            if (!security.isArray() || security.size() != 0) {
              problems.add(impl.key() + " is @PermitAll: it needs \"security\": []");
            }
            return;
          }
          if (security.isArray() && security.size() == 0) {
            problems.add(impl.key() + " needs authentication but declares \"security\": []");
          }
          for (String role : impl.roles()) {
            if (!description.contains(role)) {
              problems.add(impl.key() + ": the description does not name the allowed role " + role);
            }
          }
          if (!description.contains("admin")) {
            problems.add(impl.key() + ": the description does not say that admin may do it");
          }
        });
    assertNoProblems(problems);
  }

  @Test
  public void errorResponsesAreDocumented() {
    List<String> problems = new ArrayList<>();
    forEachImplemented(
        (method, path, op, impl) -> {
          JsonNode responses = op.path("responses");
          if (!impl.permitAll()) {
            require(problems, impl, responses, "401", "it needs authentication");
            require(problems, impl, responses, "403", "it has a role check");
          }
          if (impl.hasBody()) {
            require(problems, impl, responses, "400", "it reads a body");
            require(problems, impl, responses, "415", "it reads a body");
          }
          if (impl.headerParams().contains("If-Match")) {
            require(problems, impl, responses, "412", "it takes If-Match");
            require(problems, impl, responses, "428", "it takes If-Match");
          }
          if (!impl.queryParams().isEmpty()) {
            require(problems, impl, responses, "400", "it takes query parameters");
          }
          // A PUT that answers 201 creates what it addresses (PUT /media/{sha256}): no address is
          // unknown to it.
          boolean putCreates = impl.method().equals("PUT") && responses.has("201");
          if (!impl.pathParams().isEmpty() && !impl.permitAll() && !putCreates) {
            require(problems, impl, responses, "404", "it addresses one resource");
          }
          boolean success = false;
          for (Iterator<Map.Entry<String, JsonNode>> it = responses.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode response = resolve(e.getValue());
            if (e.getKey().startsWith("2")) {
              success = true;
            }
            if (e.getKey().startsWith("4")) {
              JsonNode schema =
                  response.path("content").path("application/problem+json").path("schema");
              if (!"#/components/schemas/Problem".equals(schema.path("$ref").asText())) {
                problems.add(
                    impl.key()
                        + ": response "
                        + e.getKey()
                        + " must be application/problem+json with the Problem schema");
              }
            }
          }
          if (!success) {
            problems.add(impl.key() + ": no 2xx response");
          }
        });
    assertNoProblems(problems);
  }

  @Test
  public void everyRefResolves() {
    List<String> problems = new ArrayList<>();
    collectRefs(doc, "#", problems);
    assertNoProblems(problems);
  }

  @Test
  public void requiredSchemasArePresent() {
    JsonNode schemas = doc.path("components").path("schemas");
    for (String name :
        List.of(
            "Customer",
            "CustomerDraft",
            "Site",
            "SiteDraft",
            "Equipment",
            "EquipmentDraft",
            "Technician",
            "TechnicianDraft",
            "User",
            "UserDraft",
            "Health",
            "Problem",
            "WorkOrder",
            "WorkOrderDraft",
            "WorkOrderPatch",
            "Assignment",
            "AssignmentResponse",
            "Warning",
            "TransitionRequest",
            "AuditEntry",
            "JobStatus",
            "Priority",
            "WorkOrderPage",
            "AuditEntryPage",
            "JobLine",
            "LineKind",
            "LineDraft",
            "JobLinePatch",
            "LaborRate",
            "LaborRateDraft",
            "LaborRatePatch",
            "LaborRatePage",
            "Part",
            "PartDraft",
            "PartPatch",
            "PartPage",
            "FlatRateTask",
            "FlatRateTaskDraft",
            "FlatRateTaskPatch",
            "FlatRateTaskPage",
            "HistoryEntry",
            "HistoryEntryPage",
            "MediaInfo",
            "EventBatch",
            "FieldEvent",
            "EventResult",
            "EventOutcome",
            "EventResults",
            "Packet",
            "PacketJob",
            "PacketSite",
            "PacketPriceBook",
            "SyncStatus",
            "Review",
            "ReviewPage",
            "ReviewResolution",
            "Rejection",
            "RejectionPage")) {
      assertTrue("components.schemas." + name + " is missing", schemas.has(name));
    }
    for (String name :
        List.of(
            "CustomerDraft",
            "SiteDraft",
            "EquipmentDraft",
            "TechnicianDraft",
            "UserDraft",
            "WorkOrderDraft",
            "WorkOrderPatch",
            "Assignment",
            "TransitionRequest",
            "LineDraft",
            "JobLinePatch",
            "LaborRateDraft",
            "LaborRatePatch",
            "PartDraft",
            "PartPatch",
            "FlatRateTaskDraft",
            "FlatRateTaskPatch",
            "EventBatch",
            "FieldEvent",
            "ReviewResolution")) {
      assertFalse(
          name + " must refuse unknown fields (additionalProperties: false)",
          schemas.path(name).path("additionalProperties").asBoolean(true));
    }
    assertTrue(
        "UserDraft.password must be writeOnly",
        schemas
            .path("UserDraft")
            .path("properties")
            .path("password")
            .path("writeOnly")
            .asBoolean(false));
    assertFalse(
        "User must never carry a password",
        schemas.path("User").path("properties").has("password"));
    JsonNode problem = schemas.path("Problem").path("properties");
    for (String field :
        List.of(
            "type",
            "title",
            "status",
            "detail",
            "errors",
            "currentVersion",
            "allowed",
            "maxBytes",
            "maxEvents")) {
      assertTrue("Problem." + field + " is missing", problem.has(field));
    }
  }

  // ---- reflection over the resources

  private static List<Operation> operationsOf(Class<?> resource) {
    Path classPath = resource.getAnnotation(Path.class);
    assertNotNull(resource.getSimpleName() + " has no @Path", classPath);
    List<Operation> ops = new ArrayList<>();
    for (Method m : resource.getMethods()) {
      if (m.isBridge()
          || m.isSynthetic()
          || Modifier.isStatic(m.getModifiers())
          || m.getDeclaringClass() == Object.class) {
        continue;
      }
      String httpMethod = httpMethodOf(m);
      if (httpMethod == null) {
        continue; // sub-resource locators would need more; there are none today
      }
      Path methodPath = m.getAnnotation(Path.class);
      String path =
          templatesStripped(join(classPath.value(), methodPath == null ? "" : methodPath.value()));
      Set<String> pathParams = new TreeSet<>();
      Set<String> queryParams = new TreeSet<>();
      Set<String> headerParams = new TreeSet<>();
      boolean body = false;
      for (Parameter p : m.getParameters()) {
        if (p.isAnnotationPresent(PathParam.class)) {
          pathParams.add(p.getAnnotation(PathParam.class).value());
        } else if (p.isAnnotationPresent(QueryParam.class)) {
          queryParams.add(p.getAnnotation(QueryParam.class).value());
        } else if (p.isAnnotationPresent(HeaderParam.class)) {
          headerParams.add(p.getAnnotation(HeaderParam.class).value());
        } else if (p.isAnnotationPresent(Context.class) && p.getType() == Request.class) {
          headerParams.add(
              "If-None-Match"); // read by Request.evaluatePreconditions (GET /media/{sha256} → 304)
        }
        if (Arrays.stream(p.getAnnotations())
            .noneMatch(a -> NON_ENTITY.contains(a.annotationType()))) {
          body = true;
        }
      }
      Consumes consumes = m.getAnnotation(Consumes.class);
      if (consumes == null) {
        consumes = m.getDeclaringClass().getAnnotation(Consumes.class);
      }
      // As AuthFilter decides: the method's @RolesAllowed, else the resource class's.
      RolesAllowed roles = m.getAnnotation(RolesAllowed.class);
      if (roles == null) {
        roles = resource.getAnnotation(RolesAllowed.class);
      }
      ops.add(
          new Operation(
              httpMethod,
              path,
              m,
              pathParams,
              queryParams,
              headerParams,
              body,
              consumes == null ? List.of() : List.of(consumes.value()),
              m.isAnnotationPresent(PermitAll.class),
              roles == null ? List.of("admin") : List.of(roles.value())));
    }
    return ops;
  }

  private static String httpMethodOf(Method m) {
    for (Annotation a : m.getAnnotations()) {
      HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
      if (http != null) {
        return http.value();
      }
    }
    return null;
  }

  /** Joins path segments: one leading slash, no double or trailing slashes. */
  static String join(String... parts) {
    StringBuilder sb = new StringBuilder();
    for (String part : parts) {
      for (String segment : part.split("/")) {
        if (!segment.isBlank()) {
          sb.append('/').append(segment.strip());
        }
      }
    }
    return sb.length() == 0 ? "/" : sb.toString();
  }

  /** {@code /a/{id: [0-9]+}/} → {@code /a/{id}}. */
  static String templatesStripped(String path) {
    Matcher m = TEMPLATE.matcher(join(path));
    return m.replaceAll(r -> "{" + Matcher.quoteReplacement(r.group(1)) + "}");
  }

  /** The comparison key: method and path with every template reduced to {@code {}}. */
  static String normalize(String method, String path) {
    return Operation.key(method, TEMPLATE.matcher(join(path)).replaceAll("{}"));
  }

  // ---- the document

  interface OperationVisitor {
    void visit(String method, String path, JsonNode operation);
  }

  private static void forEachOperation(OperationVisitor visitor) {
    for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        if (HTTP_METHODS.contains(op.getKey())) {
          visitor.visit(op.getKey(), path.getKey(), op.getValue());
        }
      }
    }
  }

  private static Operation implementedFor(String method, String path) {
    String key = normalize(method, path);
    return implemented.values().stream()
        .filter(op -> normalize(op.method(), op.path()).equals(key))
        .findFirst()
        .orElse(null);
  }

  /** Visits the documented operations that are implemented, with their implementation. */
  private static void forEachImplemented(ImplementedVisitor visitor) {
    forEachOperation(
        (method, path, op) -> {
          Operation impl = implementedFor(method, path);
          if (impl != null) { // the others fail documentsExactlyTheImplementedOperations
            visitor.visit(method, path, op, impl);
          }
        });
  }

  interface ImplementedVisitor {
    void visit(String method, String path, JsonNode operation, Operation impl);
  }

  /** Follows a local {@code $ref} (possibly chained); a missing target gives a missing node. */
  private static JsonNode resolve(JsonNode node) {
    Set<String> seen = new LinkedHashSet<>();
    while (node.has("$ref")) {
      String ref = node.path("$ref").asText();
      if (!ref.startsWith("#/") || !seen.add(ref)) {
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
      }
      node = doc.at(ref.substring(1));
    }
    return node;
  }

  private static void collectRefs(JsonNode node, String where, List<String> problems) {
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null) {
        String target = ref.asText();
        if (!ref.isTextual() || !target.startsWith("#/components/")) {
          problems.add(where + ": $ref " + ref + " does not point into #/components/");
        } else if (doc.at(target.substring(1)).isMissingNode()) {
          problems.add(where + ": $ref " + target + " does not resolve");
        } else if (resolve(node).isMissingNode()) {
          problems.add(where + ": $ref " + target + " is a cycle of references");
        }
      }
      node.fields()
          .forEachRemaining(e -> collectRefs(e.getValue(), where + "/" + e.getKey(), problems));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collectRefs(node.get(i), where + "/" + i, problems);
      }
    }
  }

  // ---- helpers

  private static void require(
      List<String> problems, Operation impl, JsonNode responses, String status, String why) {
    if (!responses.has(status)) {
      problems.add(impl.key() + ": no " + status + " response, though " + why);
    }
  }

  private static void compare(
      List<String> problems, String op, String in, Set<String> documented, Set<String> code) {
    if (!documented.equals(code)) {
      problems.add(
          op
              + ": "
              + in
              + " parameters "
              + documented
              + " in openapi.json but "
              + code
              + " in the code");
    }
  }

  private static Set<String> lower(Set<String> names) {
    Set<String> out = new TreeSet<>();
    names.forEach(n -> out.add(n.toLowerCase(java.util.Locale.ROOT)));
    return out;
  }

  private static void assertNoProblems(List<String> problems) {
    if (!problems.isEmpty()) {
      fail(problems.size() + " problem(s) in openapi.json:\n  " + String.join("\n  ", problems));
    }
  }
}
