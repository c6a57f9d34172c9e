package org.fieldops.demo.internal;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.PageRequest;
import org.fieldops.api.jobs.JobService;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.Priority;
import org.fieldops.api.master.Customer;
import org.fieldops.api.master.CustomerDraft;
import org.fieldops.api.master.CustomerService;
import org.fieldops.api.master.Equipment;
import org.fieldops.api.master.EquipmentDraft;
import org.fieldops.api.master.EquipmentService;
import org.fieldops.api.master.Site;
import org.fieldops.api.master.SiteDraft;
import org.fieldops.api.master.SiteService;
import org.fieldops.api.master.Technician;
import org.fieldops.api.master.TechnicianDraft;
import org.fieldops.api.master.TechnicianService;
import org.fieldops.api.pricebook.FlatRateTaskDraft;
import org.fieldops.api.pricebook.LaborRateDraft;
import org.fieldops.api.pricebook.PartDraft;
import org.fieldops.api.pricebook.PriceBookService;
import org.fieldops.api.security.Caller;
import org.fieldops.api.security.UserDraft;
import org.fieldops.api.security.UserService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEMO ONLY. Fills an empty server with demo accounts (password {@value #PASSWORD}, printed to the
 * log and listed in README) and a small book of customers, sites, equipment and technicians,
 * through the public services. Runs once: if the {@code dispatcher} account exists it does nothing.
 */
@Component(immediate = true)
public class DemoData {
  static final String PASSWORD = "fieldops-demo";
  static final List<String[]> ACCOUNTS =
      List.of(
          new String[] {"dispatcher", "dispatcher"},
          new String[] {"finance", "finance"},
          new String[] {"anna", "technician"},
          new String[] {"ben", "technician"},
          new String[] {"carla", "technician"});
  private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);

  @Activate
  public DemoData(
      @Reference UserService users,
      @Reference CustomerService customers,
      @Reference SiteService sites,
      @Reference EquipmentService equipment,
      @Reference TechnicianService technicians,
      @Reference JobService jobs,
      @Reference PriceBookService prices) {
    try {
      users.get("dispatcher");
      LOG.info("Demo data already present");
      return;
    } catch (NotFoundException firstRun) {
      // load below
    }
    Caller system = Caller.system();
    for (String[] account : ACCOUNTS) {
      users.create(new UserDraft(account[0], PASSWORD, List.of(account[1]), false), system);
    }
    Technician anna =
        technicians.create(
            new TechnicianDraft(
                "Anna Keller", "anna", List.of("hvac", "refrigerant", "refrigeration"), true),
            system);
    Technician ben =
        technicians.create(
            new TechnicianDraft("Ben Okafor", "ben", List.of("plumbing", "hvac"), true), system);
    Technician carla =
        technicians.create(
            new TechnicianDraft("Carla Reyes", "carla", List.of("elevator", "electrical"), true),
            system);

    Customer mall =
        customers.create(
            new CustomerDraft(
                "Riverside Mall",
                "1 River Rd, Springfield",
                "Facilities desk +1 555 0100",
                new BigDecimal("0.0825"),
                "USD"),
            system);
    Customer school =
        customers.create(
            new CustomerDraft(
                "Springfield Unified School District",
                "400 Campus Way, Springfield",
                "maintenance@susd.example",
                new BigDecimal("0"),
                "USD"),
            system);
    Customer bakery =
        customers.create(
            new CustomerDraft(
                "Lopez Family Bakery",
                "12 Main St, Springfield",
                "Maria Lopez +1 555 0142",
                new BigDecimal("0.0825"),
                "USD"),
            system);

    Site mallRoof =
        sites.create(
            new SiteDraft(
                mall.id(),
                "1 River Rd, Springfield (roof)",
                39.7817,
                -89.6501,
                "Roof access via service elevator B; badge from security desk, ext. 12."),
            system);
    Site mallGarage =
        sites.create(
            new SiteDraft(
                mall.id(),
                "1 River Rd, Springfield (garage)",
                39.7810,
                -89.6495,
                "Pump room P2 behind the ramp; key box code 4417."),
            system);
    Site school1 =
        sites.create(
            new SiteDraft(
                school.id(),
                "88 Elm St, Springfield (Lincoln Elementary)",
                39.7990,
                -89.6440,
                "Sign in at the front office; no work in classrooms 8:00-15:00."),
            system);
    Site bakerySite =
        sites.create(
            new SiteDraft(
                bakery.id(),
                "12 Main St, Springfield",
                39.8012,
                -89.6436,
                "Back door on the alley; ovens hot from 4:00."),
            system);

    Equipment rtu1 =
        equipment.create(
            new EquipmentDraft(
                mallRoof.id(),
                "hvac.rooftop",
                "Carrier",
                "48FC-07",
                "4815F2201",
                LocalDate.of(2019, 4, 2)),
            system);
    Equipment rtu2 =
        equipment.create(
            new EquipmentDraft(
                mallRoof.id(),
                "hvac.rooftop",
                "Trane",
                "YSC060",
                "TR-22-90817",
                LocalDate.of(2021, 6, 15)),
            system);
    Equipment pump =
        equipment.create(
            new EquipmentDraft(
                mallGarage.id(),
                "plumbing.pump",
                "Grundfos",
                "CR 5-10",
                "GF-5510-33",
                LocalDate.of(2018, 9, 20)),
            system);
    Equipment lift =
        equipment.create(
            new EquipmentDraft(
                school1.id(),
                "elevator.hydraulic",
                "Otis",
                "HydroFit",
                "OT-HF-7781",
                LocalDate.of(2015, 1, 12)),
            system);
    Equipment walkin =
        equipment.create(
            new EquipmentDraft(
                bakerySite.id(),
                "refrigeration.walkin",
                "Kolpak",
                "QS7-0810",
                "KP-44120",
                LocalDate.of(2020, 11, 3)),
            system);

    // a small price book (finance maintains it through /pricebook)
    prices.createLaborRate(
        new LaborRateDraft("STD", "Standard labor", new BigDecimal("95.00"), "USD", true), system);
    prices.createLaborRate(
        new LaborRateDraft("OT", "Overtime labor", new BigDecimal("142.50"), "USD", true), system);
    prices.createPart(
        new PartDraft("FLT-2025", "Pleated filter 20x25x2", new BigDecimal("18.40"), "USD", true),
        system);
    prices.createPart(
        new PartDraft("BELT-A42", "V-belt A42", new BigDecimal("24.90"), "USD", true), system);
    prices.createPart(
        new PartDraft("SEAL-CR5", "Mechanical seal kit CR 5", new BigDecimal("86.00"), "USD", true),
        system);
    prices.createFlatRateTask(
        new FlatRateTaskDraft(
            "PM-RTU", "Rooftop unit preventive maintenance", new BigDecimal("149.00"), "USD", true),
        system);
    prices.createFlatRateTask(
        new FlatRateTaskDraft("TRIP", "Trip charge", new BigDecimal("65.00"), "USD", true), system);

    // a demo day: today's jobs (UTC business day), some assigned, one held, one cancelled, some
    // waiting
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    DemoDay day = new DemoDay(jobs, system, today);
    var pm =
        day.assigned(
            mall,
            mallRoof,
            List.of(rtu1),
            "Quarterly PM, rooftop unit 1",
            "hvac.maintenance",
            Priority.NORMAL,
            anna,
            8,
            10);
    day.fieldWork(pm, anna, JobStatus.EN_ROUTE, JobStatus.ON_SITE, JobStatus.COMPLETED);
    var rtu =
        day.assigned(
            mall,
            mallRoof,
            List.of(rtu2),
            "Rooftop unit 2 short-cycling",
            "hvac.repair",
            Priority.HIGH,
            anna,
            10,
            12);
    day.fieldWork(rtu, anna, JobStatus.ON_SITE);
    day.assigned(
        bakery,
        bakerySite,
        List.of(walkin),
        "Walk-in cooler not holding temperature",
        "refrigeration.repair",
        Priority.EMERGENCY,
        anna,
        13,
        15);
    var seal =
        day.assigned(
            mall,
            mallGarage,
            List.of(pump),
            "Garage pump seal leak",
            "plumbing.repair",
            Priority.HIGH,
            ben,
            8,
            10);
    day.fieldWork(seal, ben, JobStatus.EN_ROUTE);
    day.assigned(
        school,
        school1,
        List.of(),
        "Boys' restroom flush valves",
        "plumbing.repair",
        Priority.NORMAL,
        ben,
        11,
        12);
    day.assigned(
        bakery,
        bakerySite,
        List.of(),
        "Grease trap inspection",
        "plumbing.inspection",
        Priority.LOW,
        ben,
        14,
        15);
    day.assigned(
        school,
        school1,
        List.of(lift),
        "Annual elevator inspection",
        "elevator.inspection",
        Priority.NORMAL,
        carla,
        9,
        12);
    day.assigned(
        mall,
        mallGarage,
        List.of(),
        "Garage lighting circuit trips",
        "electrical.repair",
        Priority.HIGH,
        carla,
        13,
        14);
    day.scheduled(
        mall,
        mallRoof,
        List.of(rtu1, rtu2),
        "Replace rooftop filters",
        "hvac.maintenance",
        Priority.LOW);
    day.scheduled(
        school, school1, List.of(), "Gym heater not starting", "hvac.repair", Priority.HIGH);
    day.held(
        bakery,
        bakerySite,
        List.of(walkin),
        "Walk-in door gasket (parts on order)",
        "refrigeration.repair",
        ben,
        15,
        16);
    day.cancelled(
        school, school1, List.of(), "Drinking fountain (customer fixed it)", "plumbing.repair");
    day.unplanned(mall, mallRoof, List.of(), "Quote: economizer retrofit", "hvac.quote");

    List<Site> all = sites.list(null, PageRequest.first(10)).items();
    LOG.warn(
        "DEMO DATA loaded ({} sites, {} jobs today). Demo accounts (demo only!) {} with password '{}'",
        all.size(),
        day.count(),
        ACCOUNTS.stream().map(a -> a[0] + " (" + a[1] + ")").toList(),
        PASSWORD);
  }
}
