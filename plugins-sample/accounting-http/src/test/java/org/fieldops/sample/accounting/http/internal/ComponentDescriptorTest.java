package org.fieldops.sample.accounting.http.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;

/** The DS descriptor bnd generated (process-classes runs before the tests). */
public class ComponentDescriptorTest {
  private static final Path DESCRIPTOR =
      Path.of(
          "target/classes/OSGI-INF/org.fieldops.sample.accounting.http.internal"
              + ".HttpAccountingConnector.xml");

  @Test
  public void theTokenIsAPrivatePropertyNeverPublishedWithTheService() throws IOException {
    String xml = Files.readString(DESCRIPTOR);
    assertTrue(xml, xml.contains("configuration-policy=\"require\""));
    assertTrue(
        xml, xml.contains("name=\"fieldops.connector.name\" type=\"String\" value=\"http\""));
    assertTrue(xml, xml.contains("name=\".token\""));
    assertFalse(xml, xml.contains("name=\"token\""));
  }
}
