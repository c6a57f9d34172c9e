-- FieldOps schema version 9: photos and signatures on a job carry their caption (or signer) and
-- who added them when.
ALTER TABLE FO_MEDIA_REF ADD COLUMN CAPTION VARCHAR(10000);
ALTER TABLE FO_MEDIA_REF ADD COLUMN ADDED_BY VARCHAR(200);
ALTER TABLE FO_MEDIA_REF ADD COLUMN ADDED_AT TIMESTAMP;
