package org.fieldops.jobs.internal;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import javax.persistence.EntityManager;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.master.Customer;
import org.fieldops.api.master.CustomerDraft;
import org.fieldops.api.master.CustomerService;
import org.fieldops.store.CustomerEntity;
import org.fieldops.store.Database;
import org.fieldops.store.support.Checks;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

@Component(service = CustomerService.class)
public class CustomerServiceImpl extends MasterDataSupport<Customer, CustomerDraft, CustomerEntity>
    implements CustomerService {

  @Activate
  public CustomerServiceImpl(@Reference Database db) {
    this(db, Clock.systemUTC());
  }

  CustomerServiceImpl(Database db, Clock clock) {
    super(db, clock, "customer", CustomerDraft.class, CustomerEntity.class, Set.of());
  }

  @Override
  public Page<Customer> list(PageRequest page) {
    return list(Map.of(), page);
  }

  @Override
  void validate(EntityManager em, CustomerDraft d, CustomerEntity existing) {
    Checks checks =
        new Checks()
            .text("name", d.name(), true, Checks.NAME_MAX)
            .text("billingAddress", d.billingAddress(), false, Checks.TEXT_MAX)
            .text("contact", d.contact(), false, Checks.TEXT_MAX);
    BigDecimal rate = d.taxRate();
    if (rate != null) {
      checks.check(
          rate.signum() >= 0 && rate.compareTo(BigDecimal.ONE) <= 0,
          "taxRate",
          "must be between 0 and 1");
      checks.check(
          rate.stripTrailingZeros().scale() <= 6, "taxRate", "must have at most 6 decimal places");
    }
    checks.check(
        Checks.isCurrency(d.currency()), "currency", "must be an ISO 4217 currency code, e.g. USD");
    checks.throwIfAny();
  }

  @Override
  CustomerEntity newEntity() {
    return new CustomerEntity();
  }

  @Override
  void write(CustomerDraft d, CustomerEntity e) {
    e.name = d.name().strip();
    e.billingAddress = d.billingAddress();
    e.contact = d.contact();
    e.taxRate = d.taxRate() == null ? null : d.taxRate().stripTrailingZeros();
    e.currency = d.currency();
  }

  @Override
  CustomerDraft toDraft(CustomerEntity e) {
    return new CustomerDraft(e.name, e.billingAddress, e.contact, e.taxRate, e.currency);
  }

  @Override
  Customer toRecord(CustomerEntity e) {
    BigDecimal rate = e.taxRate == null ? null : e.taxRate.stripTrailingZeros();
    if (rate != null && rate.scale() < 0) {
      rate = rate.setScale(0);
    }
    return new Customer(
        e.getId(),
        e.name,
        e.billingAddress,
        e.contact,
        rate,
        e.currency,
        e.getVersion(),
        e.getCreatedAt(),
        e.getUpdatedAt());
  }
}
