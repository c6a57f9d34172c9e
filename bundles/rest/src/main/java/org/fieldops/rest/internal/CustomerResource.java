package org.fieldops.rest.internal;

import javax.annotation.security.RolesAllowed;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.QueryParam;
import org.fieldops.api.Page;
import org.fieldops.api.master.Customer;
import org.fieldops.api.master.CustomerDraft;
import org.fieldops.api.master.CustomerService;

@Path("/customers")
public class CustomerResource extends MasterDataResource<Customer, CustomerDraft> {
  private final CustomerService customers;

  public CustomerResource(CustomerService customers) {
    super(customers, Customer::id, Customer::version);
    this.customers = customers;
  }

  @GET
  @RolesAllowed({"dispatcher", "finance"})
  public Page<Customer> list(
      @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
    return customers.list(Responses.page(limit, cursor));
  }
}
