package org.fieldops.web.internal;

import java.util.Map;
import javax.servlet.Servlet;
import org.fieldops.api.security.Role;
import org.fieldops.api.security.UserService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Serves the dispatch board page ({@code /board/}: {@code index.html}, {@code board.js}, {@code
 * board.css}) from this bundle, through the OSGi HTTP whiteboard. Behind the same login as the API
 * (see {@link PageServlet}); dispatchers and admins only.
 */
@Component(
    service = Servlet.class,
    property = {
      "osgi.http.whiteboard.servlet.pattern=/board",
      "osgi.http.whiteboard.servlet.pattern=/board/*",
      "osgi.http.whiteboard.servlet.name=fieldops-board"
    })
public class BoardPageServlet extends PageServlet {
  private static final long serialVersionUID = 1L;

  @Activate
  public BoardPageServlet(@Reference UserService users) {
    super(
        users,
        "/board",
        Map.of(
            "/", "text/html; charset=utf-8",
            "/index.html", "text/html; charset=utf-8",
            "/board.js", "text/javascript; charset=utf-8",
            "/board.css", "text/css; charset=utf-8"),
        "The board is for dispatchers.",
        Role.DISPATCHER);
  }
}
