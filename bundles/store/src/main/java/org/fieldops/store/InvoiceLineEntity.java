package org.fieldops.store;

import java.math.BigDecimal;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** One line of an invoice. */
@Entity
@Table(name = "FO_INVOICE_LINE")
public class InvoiceLineEntity {
  @Id
  @Column(name = "ID", length = 36)
  public String id;

  @Column(name = "INVOICE_ID", nullable = false, length = 36)
  public String invoiceId;

  @Column(name = "POSITION", nullable = false)
  public int position;

  @Column(name = "KIND", nullable = false, length = 16)
  public String kind;

  @Column(name = "DESCRIPTION", nullable = false, length = 10000)
  public String description;

  @Column(name = "QUANTITY", nullable = false, precision = 19, scale = 4)
  public BigDecimal quantity;

  @Column(name = "UNIT_PRICE", nullable = false, precision = 19, scale = 4)
  public BigDecimal unitPrice;

  @Column(name = "AMOUNT", nullable = false, precision = 19, scale = 2)
  public BigDecimal amount;

  @Column(name = "SOURCE_LINE_ID", length = 36)
  public String sourceLineId;
}
