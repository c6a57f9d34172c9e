package org.fieldops.rest.internal;

import static org.fieldops.rest.internal.Responses.JSON;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Locale;
import javax.annotation.security.RolesAllowed;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.CacheControl;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.EntityTag;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Request;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.StreamingOutput;
import javax.ws.rs.core.UriInfo;
import org.fieldops.api.MediaTooLargeException;
import org.fieldops.api.media.MediaContent;
import org.fieldops.api.media.MediaService;
import org.fieldops.api.media.StoredMedia;

/**
 * Photos and signatures by content hash: devices and the office upload the raw bytes (streamed to
 * the service, never buffered here), callers who may see them download them. The ETag of a media is
 * its hash; its bytes never change.
 */
@Path("/media")
public class MediaResource {
  static final String JPEG = "image/jpeg";
  static final String PNG = "image/png";
  static final String WEBP = "image/webp";

  private final MediaService media;

  public MediaResource(MediaService media) {
    this.media = media;
  }

  @PUT
  @Path("{sha256}")
  @Consumes({JPEG, PNG, WEBP})
  @Produces(JSON)
  @RolesAllowed({"dispatcher", "technician"})
  public Response upload(
      @PathParam("sha256") String sha256,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
      @Context HttpHeaders headers,
      @Context UriInfo uri,
      @Context SecurityContext security,
      InputStream body) {
    if (contentLength != null && tooLong(contentLength.strip())) {
      throw new MediaTooLargeException(media.maxBytes()); // before a byte of the body is read
    }
    MediaType type = headers.getMediaType();
    String declared =
        type == null ? null : (type.getType() + "/" + type.getSubtype()).toLowerCase(Locale.ROOT);
    StoredMedia stored = media.store(sha256, declared, body, AuthFilter.caller(security));
    EntityTag etag = new EntityTag(stored.info().sha256());
    if (stored.created()) {
      URI location = uri.getAbsolutePath();
      return Response.created(location).tag(etag).entity(stored.info()).build();
    }
    return Response.ok(stored.info()).tag(etag).build();
  }

  private boolean tooLong(String contentLength) {
    try {
      return Long.parseLong(contentLength) > media.maxBytes();
    } catch (NumberFormatException e) {
      return false; // the container refuses a malformed length itself
    }
  }

  @GET
  @Path("{sha256}")
  @Produces({JPEG, PNG, WEBP})
  @RolesAllowed({"dispatcher", "technician", "finance"})
  public Response download(
      @PathParam("sha256") String sha256,
      @Context Request request,
      @Context SecurityContext security)
      throws IOException {
    MediaContent content = media.open(sha256, AuthFilter.caller(security));
    EntityTag etag = new EntityTag(content.info().sha256());
    CacheControl cache = CacheControl.valueOf("private, max-age=31536000, immutable");
    Response.ResponseBuilder notModified = request.evaluatePreconditions(etag);
    if (notModified != null) {
      return notModified.tag(etag).cacheControl(cache).build();
    }
    InputStream in = content.openStream();
    StreamingOutput bytes =
        out -> {
          try (in) {
            in.transferTo(out);
          }
        };
    return Response.ok(bytes, content.info().contentType())
        .header(HttpHeaders.CONTENT_LENGTH, content.info().size())
        .header("X-Content-Type-Options", "nosniff")
        .header("Content-Security-Policy", "default-src 'none'; sandbox")
        .cacheControl(cache)
        .tag(etag)
        .build();
  }
}
