package org.fieldops.store;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Table;

/** An uploaded event and its outcome, unique by device and operation id. */
@Entity
@Table(name = "FO_DEVICE_EVENT")
@IdClass(DeviceEventEntity.Key.class)
public class DeviceEventEntity {
  @Id
  @Column(name = "DEVICE_ID", length = 100)
  public String deviceId;

  @Id
  @Column(name = "OP_ID", length = 100)
  public String opId;

  @Column(name = "POLICY", length = 300)
  public String policy;

  @Column(name = "RESULT_VALUE", length = 10000)
  public String resultValue;

  @Column(name = "REVIEW_ID", length = 36)
  public String reviewId;

  @Column(name = "ACK_AT")
  public Instant ackAt;

  @Column(name = "ACK_BY", length = 64)
  public String ackBy;

  @Column(name = "SEQ", nullable = false)
  public long seq;

  @Column(name = "JOB_ID", length = 36)
  public String jobId;

  @Column(name = "EVENT_TYPE", length = 32)
  public String type;

  @Column(name = "PAYLOAD_HASH", nullable = false, length = 64)
  public String payloadHash;

  @Column(name = "OUTCOME", nullable = false, length = 16)
  public String outcome;

  @Column(name = "REASON", length = 32)
  public String reason;

  @Column(name = "RETRYABLE", nullable = false)
  public boolean retryable;

  @Column(name = "JOB_VERSION")
  public Long jobVersion;

  @Column(name = "MESSAGE", length = 2000)
  public String message;

  @Column(name = "OCCURRED_AT")
  public Instant occurredAt;

  @Column(name = "RECEIVED_AT", nullable = false)
  public Instant receivedAt;

  @Column(name = "USERNAME", nullable = false, length = 64)
  public String username;

  /** The composite key. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    public String deviceId;
    public String opId;

    public Key() {}

    public Key(String deviceId, String opId) {
      this.deviceId = deviceId;
      this.opId = opId;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Objects.equals(deviceId, k.deviceId)
          && Objects.equals(opId, k.opId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(deviceId, opId);
    }
  }
}
