-- Modify "audit_events" table
ALTER TABLE "audit_events" ADD COLUMN "feed" character varying NULL, ADD COLUMN "feed_partner_id" bigint NULL, ADD COLUMN "xact" bigint NULL DEFAULT ((pg_current_xact_id())::text)::bigint;
-- Create index "auditevent_site_id_feed_partner_id" to table: "audit_events"
CREATE INDEX "auditevent_site_id_feed_partner_id" ON "audit_events" ("site_id", "feed_partner_id") WHERE (feed_partner_id IS NOT NULL);
-- Create index "auditevent_xact_id" to table: "audit_events"
CREATE INDEX "auditevent_xact_id" ON "audit_events" ("xact", "id") WHERE (feed IS NOT NULL);
-- Modify "partner_grants" table
ALTER TABLE "partner_grants" ADD COLUMN "expiry_recorded_at" timestamptz NULL;
-- Create index "partnergrant_expires_at" to table: "partner_grants"
CREATE INDEX "partnergrant_expires_at" ON "partner_grants" ("expires_at") WHERE ((revoked_at IS NULL) AND (expiry_recorded_at IS NULL));
-- Backfill (by hand): the partner change feed of the changes made before it existed, as the
-- audit hook now marks them; the rows written before this migration come first in the feed.
UPDATE "audit_events" SET "xact" = 0;
UPDATE "audit_events" SET "feed" = CASE
    WHEN "before" IS NULL THEN 'CONTACT_ADDED'
    WHEN "after" IS NULL THEN 'CONTACT_REMOVED'
    ELSE 'CONTACT_CHANGED' END
WHERE "target_type" = 'Contact' AND ("before" IS NULL OR "after" IS NULL
  OR "before" ?| ARRAY['access_role', 'software_access', 'reporting', 'entitlements', 'manage_access', 'contact_updates', 'account_documents', 'contact_types', 'status']
  OR "after" ?| ARRAY['access_role', 'software_access', 'reporting', 'entitlements', 'manage_access', 'contact_updates', 'account_documents', 'contact_types', 'status']);
UPDATE "audit_events" SET
  "feed" = CASE WHEN "before" IS NULL THEN 'ACCESS_GRANTED' ELSE 'ACCESS_REVOKED' END,
  "feed_partner_id" = (SELECT "g"."partner_id" FROM "partner_grants" AS "g" WHERE "g"."id" = "audit_events"."target_id")
WHERE "target_type" = 'PartnerGrant' AND ("before" IS NULL OR jsonb_typeof("after" -> 'revoked_at') = 'string');
