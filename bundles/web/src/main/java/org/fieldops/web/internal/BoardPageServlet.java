package org.fieldops.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.fieldops.api.security.Caller;
import org.fieldops.api.security.Role;
import org.fieldops.api.security.UserService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Serves the dispatch board page ({@code /board/}: {@code index.html}, {@code board.js}, {@code
 * board.css}) from this bundle, through the OSGi HTTP whiteboard. Behind the same login as the API
 * (HTTP Basic against the platform's user store, realm {@code FieldOps}, so the browser reuses the
 * credentials for the page's API calls and its event stream); dispatchers and admins only. Every
 * answer carries a strict Content-Security-Policy: scripts, styles and connections from this origin
 * only, no inline script or style, no frames.
 */
@Component(
    service = Servlet.class,
    property = {
      "osgi.http.whiteboard.servlet.pattern=/board",
      "osgi.http.whiteboard.servlet.pattern=/board/*",
      "osgi.http.whiteboard.servlet.name=fieldops-board"
    })
public class BoardPageServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
          + "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  static final String REALM = "Basic realm=\"FieldOps\", charset=\"UTF-8\"";

  private static final Map<String, String> FILES =
      Map.of(
          "/", "text/html; charset=utf-8",
          "/index.html", "text/html; charset=utf-8",
          "/board.js", "text/javascript; charset=utf-8",
          "/board.css", "text/css; charset=utf-8");

  private final transient UserService users;

  @Activate
  public BoardPageServlet(@Reference UserService users) {
    this.users = users;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    secure(response);
    String path = request.getPathInfo();
    if (path == null || path.isEmpty()) {
      response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
      response.setHeader("Location", request.getContextPath() + "/board/");
      return;
    }
    Optional<Caller> caller = authenticate(request.getHeader("Authorization"));
    if (caller.isEmpty()) {
      response.setHeader("WWW-Authenticate", REALM);
      text(response, HttpServletResponse.SC_UNAUTHORIZED, "Log in with a FieldOps account.");
      return;
    }
    if (!caller.get().has(Role.DISPATCHER)) {
      text(response, HttpServletResponse.SC_FORBIDDEN, "The board is for dispatchers.");
      return;
    }
    String type = FILES.get(path);
    URL resource =
        type == null
            ? null
            : BoardPageServlet.class.getResource(
                "/board" + ("/".equals(path) ? "/index.html" : path));
    if (resource == null) {
      text(response, HttpServletResponse.SC_NOT_FOUND, "Not found.");
      return;
    }
    response.setContentType(type);
    try (InputStream in = resource.openStream();
        OutputStream out = response.getOutputStream()) {
      in.transferTo(out);
    }
  }

  static void secure(HttpServletResponse response) {
    response.setHeader("Content-Security-Policy", CSP);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Cache-Control", "no-cache");
  }

  private static void text(HttpServletResponse response, int status, String message)
      throws IOException {
    response.setStatus(status);
    response.setContentType("text/plain; charset=utf-8");
    response.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
  }

  private Optional<Caller> authenticate(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    return users.authenticate(decoded.substring(0, colon), decoded.substring(colon + 1));
  }
}
