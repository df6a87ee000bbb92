-- Create index "notification_site_id" to table: "notifications"
CREATE INDEX "notification_site_id" ON "notifications" ("site_id");
-- Modify "sites" table
ALTER TABLE "sites" ADD COLUMN "review_reminder_due_at" timestamptz NULL;
-- Create index "site_review_reminder_due_at" to table: "sites"
CREATE INDEX "site_review_reminder_due_at" ON "sites" ("review_reminder_due_at");
-- Backfill (by hand): every active Site whose managers were not reminded since its due date has
-- that reminder to come; a Site reminded already waits for its next due date, as before.
UPDATE "sites" SET "review_reminder_due_at" = "review_due_at"
WHERE "status" = 'ACTIVE' AND NOT EXISTS (
  SELECT 1 FROM "notifications" AS "n" WHERE "n"."site_id" = "sites"."id" AND "n"."kind" = 'REVIEW_OVERDUE'
    AND "n"."created_at" >= "sites"."review_due_at");
