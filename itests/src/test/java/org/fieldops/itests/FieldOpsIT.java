package org.fieldops.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The foundation, in the real distribution: our bundles and DS components are up, and the REST API
 * serves master data with authentication, roles, versions and problem+json errors over HTTP, on the
 * embedded Derby database.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FieldOpsIT extends FieldOpsTestSupport {
  static final String[] CORE_BUNDLES = {
    "org.fieldops.api", "org.fieldops.store", "org.fieldops.jobs", "org.fieldops.rest"
  };

  @Inject BundleContext context;
  @Inject ServiceComponentRuntime scr;

  @Configuration
  public Option[] config() {
    return distribution();
  }

  @Before
  public void ready() throws InterruptedException {
    awaitApi();
  }

  @Test
  public void everyFieldOpsBundleIsActiveAndEveryComponentSatisfied() {
    Set<String> seen = new HashSet<>();
    List<String> problems = new ArrayList<>();
    for (Bundle b : context.getBundles()) {
      if (b.getSymbolicName().startsWith("org.fieldops.")) {
        seen.add(b.getSymbolicName());
        if (b.getState() != Bundle.ACTIVE) {
          problems.add(b.getSymbolicName() + " is in state " + b.getState());
        }
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
          var configs = scr.getComponentConfigurationDTOs(d);
          if (configs.isEmpty()) {
            problems.add(d.name + " has no configuration");
          }
          for (ComponentConfigurationDTO c : configs) {
            if (c.state != ComponentConfigurationDTO.ACTIVE
                && c.state != ComponentConfigurationDTO.SATISFIED) {
              problems.add(d.name + " is in state " + c.state);
            }
          }
        }
      }
    }
    for (String bsn : CORE_BUNDLES) {
      assertTrue(bsn + " is not installed", seen.contains(bsn));
    }
    assertTrue("demo data must not be a boot feature", !seen.contains("org.fieldops.demo"));
    assertTrue(String.join("\n", problems), problems.isEmpty());
  }

  /**
   * Derby reaches the JDK's JNDI, JDBC and JMX packages only through a dynamic import; the
   * distribution delegates them to the JDK so that their first use during provisioning never
   * depends on the resolver (see karaf-distribution/pom.xml). With the data source up, derby has
   * loaded them, and none came over a wire.
   */
  @Test
  public void derbyGetsTheJdkPackagesItUsesByBootDelegation() throws Exception {
    Bundle derby = null;
    for (Bundle b : context.getBundles()) {
      if ("derby".equals(b.getSymbolicName())) {
        derby = b;
      }
    }
    assertNotNull("the derby bundle is installed", derby);
    assertEquals(Bundle.ACTIVE, derby.getState());
    BundleWiring wiring = derby.adapt(BundleWiring.class);
    List<String> wired = new ArrayList<>();
    for (BundleWire wire : wiring.getRequiredWires(BundleRevision.PACKAGE_NAMESPACE)) {
      String pkg =
          (String) wire.getCapability().getAttributes().get(BundleRevision.PACKAGE_NAMESPACE);
      if (pkg.startsWith("javax.naming")
          || pkg.startsWith("javax.sql")
          || pkg.startsWith("javax.management")) {
        wired.add(pkg);
      }
    }
    assertTrue("wired instead of boot-delegated: " + wired, wired.isEmpty());
    for (String name :
        new String[] {
          "javax.naming.spi.ObjectFactory", "javax.sql.DataSource", "javax.management.MBeanServer"
        }) {
      assertEquals(name, ClassLoader.getSystemClassLoader().loadClass(name), derby.loadClass(name));
    }
  }

  @Test
  public void healthAndOpenApiArePublic() {
    JsonNode health = get("/health", null, null).expect(200).json();
    assertEquals("UP", health.get("status").asText());
    assertEquals("UP", health.get("database").asText());
    assertNotNull(health.get("version"));
    assertNotNull(health.get("plugins"));
    JsonNode openapi = get("/openapi.json", null, null).expect(200).json();
    assertTrue(openapi.path("paths").has("/customers"));
  }

  @Test
  public void masterDataIsCreatedReadListedAndPatchedWithVersions() {
    String dispatcher = user("dispatcher");
    Reply created =
        post(
                "/customers",
                dispatcher,
                PW,
                "{\"name\":\"Acme Heating\",\"currency\":\"USD\",\"taxRate\":\"0.0825\"}")
            .expect(201);
    JsonNode customer = created.json();
    String id = customer.get("id").asText();
    assertEquals("\"1\"", created.header("ETag"));
    assertEquals(api() + "/customers/" + id, created.header("Location"));
    assertEquals(1, customer.get("version").asInt());
    assertEquals("0.0825", customer.get("taxRate").asText());

    Reply read = get(created.header("Location"), dispatcher, PW).expect(200);
    assertEquals("Acme Heating", read.json().get("name").asText());
    assertEquals("\"1\"", read.header("ETag"));

    JsonNode site =
        post(
                "/sites",
                dispatcher,
                PW,
                "{\"customerId\":\""
                    + id
                    + "\",\"address\":\"1 Main St\","
                    + "\"latitude\":39.78,\"longitude\":-89.65,\"accessNotes\":\"gate code 1234\"}")
            .expect(201)
            .json();
    JsonNode unit =
        post(
                "/equipment",
                dispatcher,
                PW,
                "{\"siteId\":\""
                    + site.get("id").asText()
                    + "\",\"type\":\"hvac.rooftop\","
                    + "\"make\":\"Carrier\",\"model\":\"48FC\",\"serialNumber\":\"SN-1\",\"installedOn\":\"2020-05-01\"}")
            .expect(201)
            .json();
    assertEquals("2020-05-01", unit.get("installedOn").asText());
    String techUser = user("technician");
    JsonNode tech =
        post(
                "/technicians",
                dispatcher,
                PW,
                "{\"name\":\"Tess Tech\",\"username\":\""
                    + techUser
                    + "\","
                    + "\"skills\":[\"hvac\"]}")
            .expect(201)
            .json();
    assertTrue(tech.get("active").asBoolean());
    assertEquals(
        1, get("/sites?customerId=" + id, dispatcher, PW).expect(200).json().get("items").size());
    assertEquals(
        1,
        get("/equipment?siteId=" + site.get("id").asText(), dispatcher, PW)
            .expect(200)
            .json()
            .get("items")
            .size());

    // merge patch with If-Match
    patch("/customers/" + id, dispatcher, PW, null, "{\"name\":\"Acme\"}").expect(428);
    Reply patched =
        patch(
                "/customers/" + id,
                dispatcher,
                PW,
                "\"1\"",
                "{\"name\":\"Acme Heating & Air\",\"contact\":\"Jo\"}")
            .expect(200);
    assertEquals(2, patched.json().get("version").asInt());
    assertEquals("\"2\"", patched.header("ETag"));
    assertEquals("0.0825", patched.json().get("taxRate").asText());
    Reply stale =
        patch("/customers/" + id, dispatcher, PW, "\"1\"", "{\"name\":\"Lost update\"}")
            .expect(412);
    assertEquals(2, stale.json().get("currentVersion").asInt());
    patch("/customers/" + id, dispatcher, PW, "\"2\"", "{\"id\":\"other\"}").expectFieldError("id");
    patch("/customers/" + id, dispatcher, PW, "\"2\"", "{\"version\":7}")
        .expectFieldError("version");
    patch("/customers/" + id, dispatcher, PW, "\"2\"", "{\"colour\":\"red\"}")
        .expectFieldError("colour");
    patch("/customers/" + id, dispatcher, PW, "\"2\"", "{\"currency\":\"EURO\"}")
        .expectFieldError("currency");
    patch("/sites/" + site.get("id").asText(), dispatcher, PW, "\"1\"", "{\"customerId\":\"x\"}")
        .expectFieldError("customerId");
    assertEquals(
        "Acme Heating & Air",
        get("/customers/" + id, dispatcher, PW).expect(200).json().get("name").asText());
    assertEquals(2, get("/customers/" + id, dispatcher, PW).json().get("version").asInt());
  }

  @Test
  public void listsPageWithCursorWithoutSkippingOrRepeating() {
    String dispatcher = user("dispatcher");
    for (int i = 0; i < 5; i++) {
      post("/customers", dispatcher, PW, "{\"name\":\"Paged " + i + "\",\"currency\":\"EUR\"}")
          .expect(201);
    }
    Set<String> ids = new HashSet<>();
    int total = 0;
    String cursor = null;
    do {
      JsonNode page =
          get("/customers?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), dispatcher, PW)
              .expect(200)
              .json();
      assertTrue(page.get("items").size() <= 2);
      for (JsonNode c : page.get("items")) {
        assertTrue("repeated " + c, ids.add(c.get("id").asText()));
        total++;
      }
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
    } while (cursor != null);
    JsonNode all = get("/customers?limit=500", dispatcher, PW).expect(200).json();
    assertEquals(all.get("items").size(), total);
    assertTrue(all.get("nextCursor").isNull());
    get("/customers?limit=501", dispatcher, PW).expectFieldError("limit");
    get("/customers?limit=ten", dispatcher, PW).expectFieldError("limit");
    get("/customers?cursor=%21%21", dispatcher, PW).expectFieldError("cursor");
  }

  @Test
  public void badInputIsA4xxProblemNamingTheField() {
    String dispatcher = user("dispatcher");
    Reply malformed = post("/customers", dispatcher, PW, "{\"name\": \"Acme\", ").expect(400);
    assertEquals("body", malformed.json().get("errors").get(0).get("field").asText());
    post("/customers", dispatcher, PW, "{\"currency\":\"USD\"}").expectFieldError("name");
    post("/customers", dispatcher, PW, "{\"name\":5,\"currency\":\"USD\"}")
        .expectFieldError("name");
    post(
            "/customers",
            dispatcher,
            PW,
            "{\"name\":\"" + "x".repeat(201) + "\",\"currency\":\"USD\"}")
        .expectFieldError("name");
    post("/customers", dispatcher, PW, "{\"name\":\"A\",\"currency\":\"USD\",\"taxRate\":\"1.5\"}")
        .expectFieldError("taxRate");
    post("/customers", dispatcher, PW, "{\"name\":\"A\",\"currency\":\"USD\",\"id\":\"mine\"}")
        .expectFieldError("id");
    post("/sites", dispatcher, PW, "{\"customerId\":\"nope\",\"address\":\"x\"}")
        .expectFieldError("customerId");
    post("/equipment", dispatcher, PW, "{\"siteId\":\"nope\",\"type\":\"Big Fan\"}")
        .expectFieldError("type");
    post(
            "/equipment",
            dispatcher,
            PW,
            "{\"siteId\":\"nope\",\"type\":\"hvac.rooftop\",\"installedOn\":\"yesterday\"}")
        .expectFieldError("installedOn");
    post("/customers", dispatcher, PW, "[]").expect(400);
    post("/customers", dispatcher, PW, "").expect(400);
    call(
            "POST",
            "/customers",
            dispatcher,
            PW,
            "text/plain",
            "{\"name\":\"A\",\"currency\":\"USD\"}")
        .expect(415);
    call("POST", "/customers", dispatcher, PW, null, "{\"name\":\"A\",\"currency\":\"USD\"}")
        .expect(415);
    get("/customers/" + UUID.randomUUID(), dispatcher, PW).expect(404);
    get("/no-such-endpoint", dispatcher, PW).expect(404);
    call("DELETE", "/customers", dispatcher, PW, null, null).expect(405);
  }

  @Test
  public void authenticationAndRolesAreEnforced() {
    Reply anonymous = get("/customers", null, null).expect(401);
    assertTrue(anonymous.header("WWW-Authenticate").startsWith("Basic"));
    get("/customers", "admin", "wrong-password").expect(401);
    get("/customers", "nobody", "whatever-pass").expect(401);
    get("/customers", "admin", ADMIN_PASSWORD).expect(200);

    String technician = user("technician");
    String finance = user("finance");
    String dispatcher = user("dispatcher");
    get("/customers", technician, PW).expect(403);
    get("/customers/" + UUID.randomUUID(), technician, PW).expect(403); // role before existence
    get("/customers", finance, PW).expect(200);
    post("/customers", finance, PW, "{\"name\":\"A\",\"currency\":\"USD\"}").expect(403);
    get("/users", dispatcher, PW).expect(403);
    post(
            "/users",
            dispatcher,
            PW,
            "{\"username\":\"x1\",\"password\":\"long-enough-1\",\"roles\":[\"admin\"]}")
        .expect(403);

    // a disabled account is refused at once (its cached credentials are dropped)
    JsonNode account = get("/users/" + finance, "admin", ADMIN_PASSWORD).expect(200).json();
    patch(
            "/users/" + finance,
            "admin",
            ADMIN_PASSWORD,
            "\"" + account.get("version").asInt() + "\"",
            "{\"disabled\":true}")
        .expect(200);
    get("/customers", finance, PW).expect(401);
    Reply user = get("/users/" + finance, "admin", ADMIN_PASSWORD).expect(200);
    assertNull("password must never be returned", user.json().get("password"));
    assertTrue(!user.body().contains("pbkdf2"));
  }

  @Test
  public void dataSurvivesARestartOfTheDatabaseAndTheStore() throws Exception {
    String dispatcher = user("dispatcher");
    String id =
        post("/customers", dispatcher, PW, "{\"name\":\"Durable Ltd\",\"currency\":\"GBP\"}")
            .expect(201)
            .json()
            .get("id")
            .asText();

    // stop the store, the pooled data source and the Derby engine (its bundle shuts the engine
    // down),
    // then start them again: the customer must come back from disk
    Bundle store = bundle("org.fieldops.store");
    Bundle dataSources = bundle("org.ops4j.pax.jdbc.config");
    Bundle derby = bundle("derby");
    store.stop();
    dataSources.stop();
    derby.stop();
    get(
        "/customers/" + id,
        dispatcher,
        PW); // whatever it answers meanwhile, it must not break the restart
    derby.start();
    dataSources.start();
    store.start();
    awaitApi();
    JsonNode back = get("/customers/" + id, dispatcher, PW).expect(200).json();
    assertEquals("Durable Ltd", back.get("name").asText());
    assertEquals("GBP", back.get("currency").asText());
  }

  private Bundle bundle(String symbolicName) {
    for (Bundle b : context.getBundles()) {
      if (symbolicName.equals(b.getSymbolicName())) {
        return b;
      }
    }
    throw new AssertionError("no bundle " + symbolicName);
  }
}
