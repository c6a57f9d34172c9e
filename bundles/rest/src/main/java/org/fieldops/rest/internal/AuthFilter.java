package org.fieldops.rest.internal;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.Optional;
import javax.annotation.Priority;
import javax.annotation.security.PermitAll;
import javax.annotation.security.RolesAllowed;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.SecurityContext;
import org.fieldops.api.security.Caller;
import org.fieldops.api.security.Role;
import org.fieldops.api.security.UserService;

/**
 * HTTP Basic authentication against the platform's user store, then the role check of the matched
 * resource method ({@code @RolesAllowed} on the method, else on the class; {@code @PermitAll} is
 * public; no annotation means admin only). Runs after matching and before the resource, so the role
 * check comes before any existence check.
 */
@Priority(Priorities.AUTHENTICATION)
public class AuthFilter implements ContainerRequestFilter {
  private final UserService users;

  @Context private ResourceInfo resourceInfo;

  public AuthFilter(UserService users) {
    this.users = users;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    Method method = resourceInfo.getResourceMethod();
    if (method == null || method.isAnnotationPresent(PermitAll.class)) {
      return;
    }
    Caller caller =
        authenticate(request.getHeaderString("Authorization"))
            .orElseThrow(
                () -> ApiProblem.unauthorized("send HTTP Basic credentials of a FieldOps user"));
    RolesAllowed allowed = method.getAnnotation(RolesAllowed.class);
    if (allowed == null) {
      allowed = resourceInfo.getResourceClass().getAnnotation(RolesAllowed.class);
    }
    if (!permitted(caller, allowed)) {
      throw ApiProblem.forbidden("user " + caller.username() + " may not do this");
    }
    boolean secure =
        request.getSecurityContext() != null && request.getSecurityContext().isSecure();
    request.setSecurityContext(new CallerContext(caller, secure));
  }

  static boolean permitted(Caller caller, RolesAllowed allowed) {
    if (caller.has(Role.ADMIN)) {
      return true;
    }
    if (allowed == null) {
      return false;
    }
    for (String id : allowed.value()) {
      Optional<Role> role = Role.fromId(id);
      if (role.isPresent() && caller.has(role.get())) {
        return true;
      }
    }
    return false;
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

  /** The authenticated caller, as resources see it. */
  static final class CallerContext implements SecurityContext {
    final Caller caller;
    private final boolean secure;

    CallerContext(Caller caller, boolean secure) {
      this.caller = caller;
      this.secure = secure;
    }

    @Override
    public Principal getUserPrincipal() {
      return caller::username;
    }

    @Override
    public boolean isUserInRole(String role) {
      return Role.fromId(role).map(caller::has).orElse(false);
    }

    @Override
    public boolean isSecure() {
      return secure;
    }

    @Override
    public String getAuthenticationScheme() {
      return BASIC_AUTH;
    }
  }

  /** The caller of a request that passed this filter. */
  static Caller caller(SecurityContext context) {
    if (context instanceof CallerContext c) {
      return c.caller;
    }
    throw ApiProblem.unauthorized("not authenticated");
  }
}
