-- Modify "audit_events" table
ALTER TABLE "audit_events" ADD COLUMN "target_label" character varying NULL;
-- Name the targets of the events recorded before the column existed (hand-written).
UPDATE "audit_events" SET "target_label" = COALESCE(
  (SELECT "first_name" || ' ' || "last_name" FROM "contacts" WHERE "contacts"."id" = "audit_events"."target_id"),
  ("before"->>'first_name') || ' ' || ("before"->>'last_name'))
WHERE "target_type" = 'Contact';
UPDATE "audit_events" SET "target_label" = (SELECT "number" || ' ' || "name" FROM "sites" WHERE "sites"."id" = "audit_events"."target_id")
WHERE "target_type" = 'Site';
UPDATE "audit_events" SET "target_label" = (SELECT "name" FROM "partners" WHERE "partners"."id" = "audit_events"."target_id")
WHERE "target_type" = 'Partner';
UPDATE "audit_events" SET "target_label" = (SELECT "p"."name" FROM "partner_grants" AS "g" JOIN "partners" AS "p" ON "p"."id" = "g"."partner_id" WHERE "g"."id" = "audit_events"."target_id")
WHERE "target_type" = 'PartnerGrant';
UPDATE "audit_events" SET "target_label" = (SELECT COALESCE(NULLIF("name", ''), "email") FROM "access_requests" WHERE "access_requests"."id" = "audit_events"."target_id")
WHERE "target_type" = 'AccessRequest';
