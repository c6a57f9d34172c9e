package org.fieldops.rest.internal;

import java.util.List;
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
import org.fieldops.api.pricebook.PriceBookService;
import org.fieldops.api.security.UserService;
import org.fieldops.api.sync.SyncService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the REST API on its own CXF bus under CXF's servlet context ({@code /api/v1}, set in
 * {@code etc/org.apache.cxf.osgi.cfg}) once every core service it fronts is there, and stops it
 * when one goes away. The resources only translate HTTP to service calls.
 */
@Component(immediate = true)
public class RestApplication {
  private static final Logger LOG = LoggerFactory.getLogger(RestApplication.class);

  private final Bus bus;
  private final Server server;

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
      @Reference SyncService sync) {
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
            new FieldSyncResource(sync, technicians),
            new DeviceResource(sync));
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
      this.server = factory.create();
    } finally {
      thread.setContextClassLoader(previous);
    }
    LOG.info("FieldOps REST API started");
  }

  @Deactivate
  void stop() {
    server.destroy();
    bus.shutdown(true);
    LOG.info("FieldOps REST API stopped");
  }
}
