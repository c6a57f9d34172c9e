package org.fieldops.rest.internal;

import static org.fieldops.rest.internal.Responses.JSON;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.annotation.security.RolesAllowed;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.fieldops.api.FieldError;
import org.fieldops.api.Page;
import org.fieldops.api.ValidationException;
import org.fieldops.api.VersionMismatchException;
import org.fieldops.api.sync.Review;
import org.fieldops.api.sync.ReviewResolution;
import org.fieldops.api.sync.ReviewService;

/** The office's review of uploaded changes no conflict policy decided. Dispatchers only. */
@Path("/reviews")
@Produces(JSON)
@RolesAllowed("dispatcher")
public class ReviewResource {
  static final Set<String> STATUSES = Set.of("OPEN", "RESOLVED");
  static final List<String> CHOICES = List.of("SERVER", "DEVICE", "VALUE");
  static final int MAX_VALUE = 10_000;

  private final ReviewService reviews;

  public ReviewResource(ReviewService reviews) {
    this.reviews = reviews;
  }

  @GET
  public Response list(
      @QueryParam("status") String status,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    Page<Review> page = reviews.list(status(status), Responses.page(limit, cursor));
    return Response.ok(page).build();
  }

  @GET
  @Path("{id}")
  public Response get(@PathParam("id") String id) {
    Review review = reviews.get(id);
    return Responses.ok(review, review.version());
  }

  /**
   * Resolves an open review. {@code If-Match} is optional; when sent it must name the review's
   * current version.
   */
  @POST
  @Path("{id}/resolution")
  @Consumes(JSON)
  public Response resolve(
      @PathParam("id") String id,
      @HeaderParam("If-Match") String ifMatch,
      ReviewResolution resolution,
      @Context SecurityContext security) {
    Long expected = ifMatch == null ? null : Etags.expectedVersion(ifMatch);
    validate(resolution);
    if (expected != null) {
      long current = reviews.get(id).version();
      if (current != expected) {
        throw new VersionMismatchException(expected, current);
      }
    }
    Review review = reviews.resolve(id, resolution, AuthFilter.caller(security));
    return Responses.ok(review, review.version());
  }

  /** {@code OPEN} or {@code RESOLVED} (any case), or {@code null} for all. */
  static String status(String value) {
    if (value == null) {
      return null;
    }
    String s = value.strip().toUpperCase(Locale.ROOT);
    if (!STATUSES.contains(s)) {
      throw ValidationException.of("status", "unknown review status; one of OPEN, RESOLVED");
    }
    return s;
  }

  /** The shape of a resolution; what may be chosen for which review is the service's to say. */
  static void validate(ReviewResolution resolution) {
    if (resolution == null) {
      throw ValidationException.of("body", "must be a JSON object {choose, value}");
    }
    List<FieldError> errors = new ArrayList<>();
    String choose = resolution.choose();
    if (choose == null) {
      errors.add(new FieldError("choose", "is required: one of " + String.join(", ", CHOICES)));
    } else if (!CHOICES.contains(choose)) {
      errors.add(new FieldError("choose", "unknown choice; one of " + String.join(", ", CHOICES)));
    } else if (!choose.equals("VALUE") && resolution.value() != null) {
      errors.add(new FieldError("value", "is only for choose VALUE"));
    }
    if (resolution.value() != null && resolution.value().length() > MAX_VALUE) {
      errors.add(new FieldError("value", "must be at most " + MAX_VALUE + " characters"));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }
}
