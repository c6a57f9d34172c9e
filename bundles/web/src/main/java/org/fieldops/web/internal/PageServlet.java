package org.fieldops.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.fieldops.api.security.Caller;
import org.fieldops.api.security.Role;
import org.fieldops.api.security.UserService;

/**
 * One page of the office's web app ({@code /board/}, {@code /reports/}): a fixed list of static
 * files from this bundle, behind the same login as the API (HTTP Basic against the platform's user
 * store, realm {@code FieldOps}, so the browser reuses the credentials for the page's API calls),
 * for the roles the page names. Every answer carries a strict Content-Security-Policy: scripts,
 * styles and connections from this origin only, no inline script or style, no frames.
 */
abstract class PageServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
          + "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  static final String REALM = "Basic realm=\"FieldOps\", charset=\"UTF-8\"";

  private final transient UserService users;
  private final String root;
  private final Map<String, String> files;
  private final String forbidden;
  private final transient Role[] roles;

  /**
   * @param root the page's path and the folder of its files in this bundle, e.g. {@code /board}
   * @param files the files served (path below the root, {@code /} for the index) and their types
   * @param forbidden what a logged-in caller without one of the roles is told
   * @param roles who may open the page (admins may always)
   */
  PageServlet(
      UserService users, String root, Map<String, String> files, String forbidden, Role... roles) {
    this.users = users;
    this.root = root;
    this.files = Map.copyOf(files);
    this.forbidden = forbidden;
    this.roles = roles.clone();
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    secure(response);
    String path = request.getPathInfo();
    if (path == null || path.isEmpty()) {
      response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
      response.setHeader("Location", request.getContextPath() + root + "/");
      return;
    }
    Optional<Caller> caller = authenticate(request.getHeader("Authorization"));
    if (caller.isEmpty()) {
      response.setHeader("WWW-Authenticate", REALM);
      text(response, HttpServletResponse.SC_UNAUTHORIZED, "Log in with a FieldOps account.");
      return;
    }
    if (!allowed(caller.get())) {
      text(response, HttpServletResponse.SC_FORBIDDEN, forbidden);
      return;
    }
    String type = files.get(path);
    URL resource =
        type == null
            ? null
            : PageServlet.class.getResource(root + ("/".equals(path) ? "/index.html" : path));
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

  private boolean allowed(Caller caller) {
    for (Role role : roles) {
      if (caller.has(role)) {
        return true;
      }
    }
    return caller.has(Role.ADMIN);
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
