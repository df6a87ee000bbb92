-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create index "notification_site_id" to table: "notifications"
CREATE INDEX `notification_site_id` ON `notifications` (`site_id`);
-- Create "new_sites" table
CREATE TABLE `new_sites` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `version` integer NOT NULL DEFAULT (1), `number` text NOT NULL, `name` text NOT NULL, `customer_number` text NOT NULL, `program` text NOT NULL DEFAULT ('STANDARD'), `street` text NULL, `city` text NULL, `state_province` text NULL, `postal_code` text NULL, `country` text NULL, `status` text NOT NULL DEFAULT ('ACTIVE'), `review_interval_days` integer NOT NULL DEFAULT (30), `last_reviewed_at` datetime NULL, `last_reviewed_by` text NULL, `review_due_at` datetime NOT NULL, `review_reminder_due_at` datetime NULL);
-- Set sequence for "new_sites" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_sites", 21474836480);
-- Copy rows from old table "sites" to new temporary table "new_sites"
INSERT INTO `new_sites` (`id`, `created_at`, `updated_at`, `version`, `number`, `name`, `customer_number`, `program`, `street`, `city`, `state_province`, `postal_code`, `country`, `status`, `review_interval_days`, `last_reviewed_at`, `last_reviewed_by`, `review_due_at`) SELECT `id`, `created_at`, `updated_at`, `version`, `number`, `name`, `customer_number`, `program`, `street`, `city`, `state_province`, `postal_code`, `country`, `status`, `review_interval_days`, `last_reviewed_at`, `last_reviewed_by`, `review_due_at` FROM `sites`;
-- Drop "sites" table after copying rows
DROP TABLE `sites`;
-- Rename temporary table "new_sites" to "sites"
ALTER TABLE `new_sites` RENAME TO `sites`;
-- Create index "sites_number_key" to table: "sites"
CREATE UNIQUE INDEX `sites_number_key` ON `sites` (`number`);
-- Create index "site_review_reminder_due_at" to table: "sites"
CREATE INDEX `site_review_reminder_due_at` ON `sites` (`review_reminder_due_at`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
-- Backfill (by hand): every active Site whose managers were not reminded since its due date has
-- that reminder to come, in UTC (julianday reads any stored offset); a Site reminded already
-- waits for its next due date, as before.
UPDATE `sites` SET `review_reminder_due_at` = strftime('%Y-%m-%d %H:%M:%f', `review_due_at`) || '+00:00'
WHERE `status` = 'ACTIVE' AND NOT EXISTS (
  SELECT 1 FROM `notifications` AS `n` WHERE `n`.`site_id` = `sites`.`id` AND `n`.`kind` = 'REVIEW_OVERDUE'
    AND julianday(`n`.`created_at`) >= julianday(`sites`.`review_due_at`));
