-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_audit_events" table
CREATE TABLE `new_audit_events` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `actor_kind` text NOT NULL, `actor` text NOT NULL, `actor_user_id` integer NULL, `action` text NOT NULL, `target_type` text NOT NULL, `target_id` integer NOT NULL, `target_label` text NULL, `before` json NULL, `after` json NULL, `reason` text NULL, `request_id` text NULL, `client_address` text NULL, `feed` text NULL, `feed_partner_id` integer NULL, `xact` integer NULL DEFAULT (0), `site_id` integer NULL, CONSTRAINT `audit_events_sites_audit_events` FOREIGN KEY (`site_id`) REFERENCES `sites` (`id`) ON DELETE SET NULL);
-- Set sequence for "new_audit_events" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_audit_events", 4294967296);
-- Copy rows from old table "audit_events" to new temporary table "new_audit_events"
INSERT INTO `new_audit_events` (`id`, `created_at`, `actor_kind`, `actor`, `actor_user_id`, `action`, `target_type`, `target_id`, `target_label`, `before`, `after`, `reason`, `request_id`, `client_address`, `site_id`) SELECT `id`, `created_at`, `actor_kind`, `actor`, `actor_user_id`, `action`, `target_type`, `target_id`, `target_label`, `before`, `after`, `reason`, `request_id`, `client_address`, `site_id` FROM `audit_events`;
-- Drop "audit_events" table after copying rows
DROP TABLE `audit_events`;
-- Rename temporary table "new_audit_events" to "audit_events"
ALTER TABLE `new_audit_events` RENAME TO `audit_events`;
-- Create index "auditevent_site_id_created_at" to table: "audit_events"
CREATE INDEX `auditevent_site_id_created_at` ON `audit_events` (`site_id`, `created_at`);
-- Create index "auditevent_xact_id" to table: "audit_events"
CREATE INDEX `auditevent_xact_id` ON `audit_events` (`xact`, `id`) WHERE feed IS NOT NULL;
-- Create index "auditevent_site_id_feed_partner_id" to table: "audit_events"
CREATE INDEX `auditevent_site_id_feed_partner_id` ON `audit_events` (`site_id`, `feed_partner_id`) WHERE feed_partner_id IS NOT NULL;
-- Add column "expiry_recorded_at" to table: "partner_grants"
ALTER TABLE `partner_grants` ADD COLUMN `expiry_recorded_at` datetime NULL;
-- Create index "partnergrant_expires_at" to table: "partner_grants"
CREATE INDEX `partnergrant_expires_at` ON `partner_grants` (`expires_at`) WHERE revoked_at IS NULL AND expiry_recorded_at IS NULL;
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
-- Backfill (by hand): the partner change feed of the changes made before it existed, as the
-- audit hook now marks them (SQLite commits in id order: xact stays 0).
UPDATE `audit_events` SET `feed` = CASE
    WHEN `before` IS NULL THEN 'CONTACT_ADDED'
    WHEN `after` IS NULL THEN 'CONTACT_REMOVED'
    ELSE 'CONTACT_CHANGED' END
WHERE `target_type` = 'Contact' AND (`before` IS NULL OR `after` IS NULL
  OR EXISTS (SELECT 1 FROM json_each(coalesce(`before`, '{}')) AS `b` WHERE `b`.`key` IN ('access_role', 'software_access', 'reporting', 'entitlements', 'manage_access', 'contact_updates', 'account_documents', 'contact_types', 'status'))
  OR EXISTS (SELECT 1 FROM json_each(coalesce(`after`, '{}')) AS `a` WHERE `a`.`key` IN ('access_role', 'software_access', 'reporting', 'entitlements', 'manage_access', 'contact_updates', 'account_documents', 'contact_types', 'status')));
UPDATE `audit_events` SET
  `feed` = CASE WHEN `before` IS NULL THEN 'ACCESS_GRANTED' ELSE 'ACCESS_REVOKED' END,
  `feed_partner_id` = (SELECT `g`.`partner_id` FROM `partner_grants` AS `g` WHERE `g`.`id` = `audit_events`.`target_id`)
WHERE `target_type` = 'PartnerGrant' AND (`before` IS NULL OR json_type(`after`, '$.revoked_at') NOT IN ('null'));
