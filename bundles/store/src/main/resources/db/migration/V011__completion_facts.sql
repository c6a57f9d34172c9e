-- FieldOps schema version 11: one row per completed job with its figures (written with the
-- completion from the job's status facts, removed when the office re-opens it), so the reports
-- on completed jobs are one index range without correlated subqueries. Rows for jobs completed
-- before this version are filled in by the jobs bundle in the background after the upgrade.
CREATE TABLE FO_JOB_COMPLETION (
  JOB_ID VARCHAR(36) NOT NULL PRIMARY KEY,
  COMPLETED_AT TIMESTAMP NOT NULL,
  TECHNICIAN_ID VARCHAR(36),
  CUSTOMER_ID VARCHAR(36) NOT NULL,
  JOB_TYPE VARCHAR(200) NOT NULL,
  WITH_EQUIPMENT INTEGER NOT NULL,
  REVISIT_JOB_ID VARCHAR(36),
  TRAVELLED INTEGER NOT NULL,
  TRAVEL_SECONDS BIGINT NOT NULL,
  ON_SITE_SECONDS BIGINT NOT NULL,
  ARRIVAL VARCHAR(8)
);
CREATE INDEX FO_JOB_COMPLETION_AT ON FO_JOB_COMPLETION (COMPLETED_AT);
CREATE INDEX FO_JOB_COMPLETION_REVISIT ON FO_JOB_COMPLETION (REVISIT_JOB_ID);
