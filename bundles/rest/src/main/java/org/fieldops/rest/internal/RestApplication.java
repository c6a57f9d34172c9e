package org.fieldops.rest.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;
import org.fieldops.api.jobs.HistoryService;
import org.fieldops.api.jobs.JobService;
import org.fieldops.api.master.CustomerService;
import org.fieldops.api.master.EquipmentService;
import org.fieldops.api.master.SiteService;
import org.fieldops.api.master.TechnicianService;
import org.fieldops.api.media.MediaService;
import org.fieldops.api.platform.HealthService;
import org.fieldops.api.platform.PluginStatus;
import org.fieldops.api.pricebook.PriceBookService;
import org.fieldops.api.security.UserService;
import org.fieldops.api.sync.PacketService;
import org.fieldops.api.sync.ReviewService;
import org.fieldops.api.sync.SyncService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the REST API on its own CXF bus under CXF's servlet context ({@code /api/v1}, set in
 * {@code etc/org.apache.cxf.osgi.cfg}) once every core service it fronts is there, and stops it
 * when one goes away. The resources only translate HTTP to service calls. Its settings ({@code
 * etc/org.fieldops.rest.cfg}) apply without a restart.
 */
@Component(immediate = true, configurationPid = "org.fieldops.rest")
@Designate(ocd = RestApplication.Config.class)
public class RestApplication {
  private static final Logger LOG = LoggerFactory.getLogger(RestApplication.class);

  @ObjectClassDefinition(name = "FieldOps REST API", description = "The REST API's own limits")
  public @interface Config {
    @AttributeDefinition(
        description =
            "Largest accepted body of POST /me/events in bytes (default 5 MiB); a larger body is refused with 413")
    long eventsMaxBytes() default FieldSyncResource.DEFAULT_EVENTS_MAX_BYTES;
  }

  private final Bus bus;
  private final Server server;
  private final BoardFeed boardFeed;
  private final AtomicLong eventsMaxBytes = new AtomicLong();

  /** The core bundles' plugin listings (GET /plugins); they come and go with those bundles. */
  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  private volatile List<PluginStatus> pluginStatus;

  @Activate
  public RestApplication(
      @Reference UserService users,
      @Reference HealthService health,
      @Reference CustomerService customers,
      @Reference SiteService sites,
      @Reference EquipmentService equipment,
      @Reference TechnicianService technicians,
      @Reference JobService jobs,
      @Reference HistoryService history,
      @Reference PriceBookService prices,
      @Reference MediaService media,
      @Reference SyncService sync,
      @Reference PacketService packets,
      @Reference ReviewService reviews,
      @Reference org.fieldops.api.billing.InvoiceService invoices,
      @Reference org.fieldops.api.board.BoardService board,
      @Reference org.fieldops.api.jobs.ChangeLog changes,
      @Reference org.fieldops.api.reports.ReportService reports,
      Config config) {
    configure(config);
    this.boardFeed = new BoardFeed(changes);
    List<Object> resources =
        List.of(
            new PlatformResource(health),
            new UserResource(users),
            new CustomerResource(customers),
            new SiteResource(sites, history),
            new EquipmentResource(equipment, history),
            new TechnicianResource(technicians),
            new JobResource(jobs),
            new PriceBookResource(prices),
            new MediaResource(media),
            new FieldSyncResource(sync, packets, technicians, eventsMaxBytes::get),
            new DeviceResource(sync),
            new ReviewResource(reviews),
            new RejectionResource(sync),
            new InvoiceResource(invoices),
            new AccountingExportResource(invoices),
            new BoardResource(board, jobs, boardFeed),
            new ReportResource(reports),
            new PluginResource(() -> pluginStatus, invoices));
    List<Object> providers =
        List.of(
            JsonMapping.provider(),
            new ProblemMapper(),
            new AuthFilter(users),
            new MediaTypeFilter());

    // CXF finds its bus extensions through the context class loader while the bus starts.
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(RestApplication.class.getClassLoader());
    try {
      this.bus = BusFactory.newInstance().createBus();
      JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
      factory.setBus(bus);
      factory.setAddress("/");
      factory.setServiceBeans(resources);
      factory.setProviders(providers);
      factory.setFeatures(List.of(new org.apache.cxf.jaxrs.sse.SseFeature()));
      this.server = factory.create();
    } finally {
      thread.setContextClassLoader(previous);
    }
    LOG.info("FieldOps REST API started");
  }

  @Modified
  void configure(Config config) {
    long max = config.eventsMaxBytes();
    if (max < 1) {
      LOG.warn(
          "eventsMaxBytes {} is not a size; using the default {}",
          max,
          FieldSyncResource.DEFAULT_EVENTS_MAX_BYTES);
      max = FieldSyncResource.DEFAULT_EVENTS_MAX_BYTES;
    }
    eventsMaxBytes.set(max);
  }

  @Deactivate
  void stop() {
    boardFeed.stop();
    server.destroy();
    bus.shutdown(true);
    LOG.info("FieldOps REST API stopped");
  }
}
