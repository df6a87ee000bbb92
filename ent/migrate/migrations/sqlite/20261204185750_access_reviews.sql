-- Create "reviews" table
CREATE TABLE `reviews` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `started_by` text NOT NULL, `started_at` datetime NOT NULL, `due_at` datetime NOT NULL, `completed_at` datetime NULL, `completed_by` text NULL, `attested` bool NOT NULL DEFAULT (false), `reminder_stage` text NOT NULL DEFAULT ('DUE_SOON'), `reminder_due_at` datetime NULL, `escalated_at` datetime NULL, `site_id` integer NOT NULL, CONSTRAINT `reviews_sites_reviews` FOREIGN KEY (`site_id`) REFERENCES `sites` (`id`) ON DELETE NO ACTION);
-- Set sequence for "reviews" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("reviews", 42949672960);
-- Create index "review_site_id" to table: "reviews"
CREATE UNIQUE INDEX `review_site_id` ON `reviews` (`site_id`) WHERE completed_at IS NULL;
-- Create index "review_site_id_started_at" to table: "reviews"
CREATE INDEX `review_site_id_started_at` ON `reviews` (`site_id`, `started_at`);
-- Create index "review_reminder_due_at" to table: "reviews"
CREATE INDEX `review_reminder_due_at` ON `reviews` (`reminder_due_at`);
-- Create "review_items" table
CREATE TABLE `review_items` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `site_id` integer NOT NULL, `contact_id` integer NOT NULL, `snapshot` json NOT NULL, `decision` text NOT NULL DEFAULT ('PENDING'), `decided_by` text NULL, `decided_at` datetime NULL, `note` text NULL, `self_confirmed_at` datetime NULL, `outcome` text NULL, `review_id` integer NOT NULL, CONSTRAINT `review_items_reviews_items` FOREIGN KEY (`review_id`) REFERENCES `reviews` (`id`) ON DELETE NO ACTION);
-- Set sequence for "review_items" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("review_items", 47244640256);
-- Create index "reviewitem_review_id_contact_id" to table: "review_items"
CREATE UNIQUE INDEX `reviewitem_review_id_contact_id` ON `review_items` (`review_id`, `contact_id`);
-- Create index "reviewitem_review_id_decision" to table: "review_items"
CREATE INDEX `reviewitem_review_id_decision` ON `review_items` (`review_id`, `decision`);
-- Create index "reviewitem_contact_id" to table: "review_items"
CREATE INDEX `reviewitem_contact_id` ON `review_items` (`contact_id`);
