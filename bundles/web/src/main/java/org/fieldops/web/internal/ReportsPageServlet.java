package org.fieldops.web.internal;

import java.util.Map;
import javax.servlet.Servlet;
import org.fieldops.api.security.Role;
import org.fieldops.api.security.UserService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Serves the reports page ({@code /reports/}: {@code index.html}, {@code reports.js}, {@code
 * reports.css}, and the charting library Chart.js under {@code lib/}, unpacked from its WebJar at
 * build time) from this bundle, through the OSGi HTTP whiteboard. Behind the same login as the API
 * (see {@link PageServlet}); dispatchers, finance and admins. Which reports a caller sees is the
 * API's decision ({@code GET /api/v1/reports}).
 */
@Component(
    service = Servlet.class,
    property = {
      "osgi.http.whiteboard.servlet.pattern=/reports",
      "osgi.http.whiteboard.servlet.pattern=/reports/*",
      "osgi.http.whiteboard.servlet.name=fieldops-reports"
    })
public class ReportsPageServlet extends PageServlet {
  private static final long serialVersionUID = 1L;

  @Activate
  public ReportsPageServlet(@Reference UserService users) {
    super(
        users,
        "/reports",
        Map.of(
            "/", "text/html; charset=utf-8",
            "/index.html", "text/html; charset=utf-8",
            "/reports.js", "text/javascript; charset=utf-8",
            "/reports.css", "text/css; charset=utf-8",
            "/lib/chart.umd.js", "text/javascript; charset=utf-8",
            "/lib/LICENSE.md", "text/plain; charset=utf-8"),
        "Reports are for dispatchers and finance.",
        Role.DISPATCHER,
        Role.FINANCE);
  }
}
