package org.fieldops.rest.internal;

import java.lang.reflect.Method;
import javax.annotation.Priority;
import javax.ws.rs.Consumes;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;

/**
 * A request that carries a body must say what it is: a method that consumes a body answers 415
 * unless the {@code Content-Type} is one it declares (JAX-RS would otherwise read a body without a
 * type as anything). Runs after authentication.
 */
@Priority(Priorities.AUTHORIZATION + 100)
public class MediaTypeFilter implements ContainerRequestFilter {
  @Context private ResourceInfo resourceInfo;

  @Override
  public void filter(ContainerRequestContext request) {
    Method method = resourceInfo.getResourceMethod();
    Consumes consumes = method == null ? null : method.getAnnotation(Consumes.class);
    if (consumes == null) {
      return;
    }
    MediaType sent = request.getMediaType();
    if (sent == null && !request.hasEntity()) {
      return; // nothing to read (a body that is optional, such as a voiding's reason)
    }
    if (sent != null) {
      for (String declared : consumes.value()) {
        if (MediaType.valueOf(declared).isCompatible(sent)
            && !sent.isWildcardType()
            && !sent.isWildcardSubtype()) {
          return;
        }
      }
    }
    throw ApiProblem.unsupportedMediaType(
        "send Content-Type "
            + String.join(" or ", consumes.value())
            + (sent == null ? "" : ", not " + sent));
  }
}
